using System.Text.RegularExpressions;
using BackOffice.E2E.Accessibility;
using BackOffice.E2E.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BackOffice.E2E.Reporting;

/// <summary>A movement's reference links to the sale it came from; the sale and receipt pages pass axe.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class LedgerLinkTests(BackOfficeServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task A_sale_line_of_the_ledger_opens_the_sale_with_its_batches()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        // The newest sale movement: on the first page of its product's movements (newest first).
        var reference = (await server.TextAsync("SELECT Reference FROM Movements WHERE Kind = 2 ORDER BY CreatedAt DESC, Id DESC LIMIT 1"))!;
        var saleId = Guid.Parse(reference["sale:".Length..]);
        var sku = await server.TextAsync(
            "SELECT p.Sku FROM Movements m JOIN Products p ON p.Id = m.ProductId WHERE m.Kind = 2 ORDER BY m.CreatedAt DESC, m.Id DESC LIMIT 1");

        await page.OpenAsync($"/catalog/products/{Uri.EscapeDataString(sku!)}");
        var link = page.GetByTestId("ledger").Locator($"a[href='/sales/{saleId}']").First;
        await Assertions.Expect(link).ToHaveTextAsync($"Sale {saleId.ToString()[..8]}…");
        await link.ClickAsync();

        await page.WaitForURLAsync(new Regex($"/sales/{saleId}$"));
        await Assertions.Expect(page.GetByTestId("sale-title")).ToContainTextAsync(saleId.ToString()[..8]);
        await Assertions.Expect(page.GetByTestId("sale-allocations").First).ToContainTextAsync("×");
        await Assertions.Expect(page.GetByTestId("sale-payments")).ToBeVisibleAsync();
        // The head's title follows the page's render (HeadOutlet): axe reads it once it is there.
        await Assertions.Expect(page).ToHaveTitleAsync($"Sale {saleId.ToString()[..8]} — BackOffice");
        await server.ScreenshotAsync(page, "sale");
        await AxeAudit.ShouldPassAsync(page, "/sales/{saleId}", output);
    }

    [Fact]
    public async Task The_receipt_page_shows_the_batches_it_brought_in()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        var receiptId = Guid.Parse((await server.TextAsync("SELECT Id FROM Receipts ORDER BY ReceivedAt LIMIT 1"))!);

        await page.OpenAsync($"/inventory/receipts/{receiptId}");
        await Assertions.Expect(page.GetByTestId("document-title")).ToHaveTextAsync($"Receipt {receiptId.ToString()[..8]}…");
        await Assertions.Expect(page.GetByTestId("document-lines").Locator("tbody tr").First).ToContainTextAsync("Receipt");
        await Assertions.Expect(page).ToHaveTitleAsync($"Receipt {receiptId.ToString()[..8]}… — BackOffice");
        await AxeAudit.ShouldPassAsync(page, "/inventory/receipts/{receiptId}", output);
    }
}
