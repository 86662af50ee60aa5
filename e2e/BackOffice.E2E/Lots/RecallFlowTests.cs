using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Lots;

[Collection(BackOfficeServerCollection.Name)]
public sealed class RecallFlowTests(BackOfficeServer server)
{
    [Fact]
    public async Task A_pack_scanned_into_the_recalls_page_finds_its_lot_which_is_recalled_everywhere_and_released()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        await page.CreateProductAsync("E2E-RECALL-1", "5099999000042", "E2E Amoxicillin 500 mg x 21");
        await page.ReceiveAsync("E2E-RECALL-1", "LOT-R1", "2027-05-31", 9, "0.80");
        await page.ReceiveAsync("E2E-RECALL-1", "LOT-R2", "2027-09-30", 4, "0.80");

        await page.OpenAsync("/lots/recalls");
        // What a keyboard-wedge scanner types for the pack's DataMatrix: the AIs' digits, GS after the variable-length lot.
        await page.GetByTestId("lot-code").EnterAsync("]d2" + "0105099999000042" + "10LOT-R1\u001d" + "17270531");
        await Assertions.Expect(page.GetByTestId("lot-trace")).ToContainTextAsync("lot LOT-R1");
        await Assertions.Expect(page.GetByTestId("lot-status")).ToHaveTextAsync("Active");
        await Assertions.Expect(page.GetByTestId("lot-onhand")).ToHaveTextAsync("9");

        await page.GetByTestId("lot-reason-field").FillAsync("Supplier notice SN-2026-77: sealing defect");
        await page.GetByTestId("lot-status-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lot-status")).ToHaveTextAsync("Recalled");
        await Assertions.Expect(page.GetByTestId("recalled-lots")).ToContainTextAsync("LOT-R1");
        await server.ScreenshotAsync(page, "lot-recalled");

        // The product page marks the batch, and only the other lot is sellable.
        await page.OpenAsync("/catalog/products/E2E-RECALL-1");
        await Assertions.Expect(page.GetByTestId("batches").Locator("tbody tr").Filter(new() { HasText = "LOT-R1" }).GetByTestId("lot-recalled")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("stock-per-outlet").Locator("tbody tr").Filter(new() { HasText = "LDN-01" }).GetByTestId("available")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^4(?!\\d)"));

        await page.OpenAsync("/lots/recalls?sku=E2E-RECALL-1&lotNumber=LOT-R1");
        await page.GetByTestId("lot-reason-field").FillAsync("Notice withdrawn by the supplier");
        await page.GetByTestId("lot-status-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lot-status")).ToHaveTextAsync("Active");
        await Assertions.Expect(page.Locator("[data-testid=recalled-lots] tr", new() { HasText = "LOT-R1" })).ToHaveCountAsync(0);
    }
}
