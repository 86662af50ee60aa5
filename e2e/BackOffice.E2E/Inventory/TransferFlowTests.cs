using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Inventory;

[Collection(BackOfficeServerCollection.Name)]
public sealed class TransferFlowTests(BackOfficeServer server)
{
    [Fact]
    public async Task Preview_and_transfer_stock_between_outlets()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        await page.CreateProductAsync("E2E-MOVE-1", "5099999000035", "E2E Saline 10 x 5 ml");
        await page.ReceiveAsync("E2E-MOVE-1", "LOT-M1", "2027-05-31", 12, "0.40");

        await page.OpenAsync("/inventory/transfers");
        await page.GetByTestId("transfer-code").EnterAsync("E2E-MOVE-1");
        await page.GetByTestId("transfer-quantity").EnterAsync("5");
        await page.GetByTestId("transfer-preview").ClickUntilAsync(page.GetByTestId("transfer-plan"));
        await Assertions.Expect(page.GetByTestId("transfer-plan")).ToContainTextAsync("LOT-M1");
        await server.ScreenshotAsync(page, "transfer-preview");

        await page.GetByTestId("transfer-confirm").ClickAsync();
        await page.DialogButton("Transfer").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recent-transfers").Locator("tbody tr").First).ToContainTextAsync("NYC-01");
        await server.ScreenshotAsync(page, "transfer-done");

        await page.OpenAsync("/catalog/products/E2E-MOVE-1");
        var rows = page.GetByTestId("stock-per-outlet").Locator("tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "LDN-01" }).GetByTestId("on-hand")).ToHaveTextAsync("7");
        await Assertions.Expect(rows.Filter(new() { HasText = "NYC-01" }).GetByTestId("on-hand")).ToHaveTextAsync("5");
    }
}
