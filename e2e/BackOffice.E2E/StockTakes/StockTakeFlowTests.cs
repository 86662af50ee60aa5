using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.StockTakes;

[Collection(BackOfficeServerCollection.Name)]
public sealed class StockTakeFlowTests(BackOfficeServer server)
{
    [Fact]
    public async Task Open_count_with_the_scanner_review_and_post_a_stock_take()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        await page.CreateProductAsync("E2E-TAKE-1", "5099999000028", "E2E Plasters 20");
        await page.ReceiveAsync("E2E-TAKE-1", "LOT-T1", "2027-03-31", 10, "0.80");

        await page.OpenAsync("/stock-takes");
        await page.GetByTestId("stocktake-open").ClickUntilAsync(page.GetByTestId("open-filter"));
        await page.GetByTestId("open-filter").EnterAsync("E2E-TAKE-1");
        await page.GetByTestId("open-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/stock-takes/\d+$"));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.GetByTestId("count-lines").Locator("tbody tr")).ToHaveCountAsync(1);

        // The scanner types the barcode and Enter; the counter types the quantity and Enter. 8 of the 10 expected.
        await page.GetByTestId("count-code").FillAsync("5099999000028");
        await page.GetByTestId("count-code").PressAsync("Enter");
        await page.GetByTestId("count-quantity").FillAsync("8");
        await page.GetByTestId("count-quantity").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("count-lines").Locator("tbody tr")).ToHaveCountAsync(2);

        await page.GetByTestId("review-load").ClickAsync();
        await Assertions.Expect(page.GetByTestId("variance-change")).ToHaveTextAsync("-2");
        await server.ScreenshotAsync(page, "stock-take-review");

        await page.GetByTestId("stocktake-post").ClickAsync();
        await page.DialogButton("Post").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stocktake-status")).ToContainTextAsync("Posted");
        await server.ScreenshotAsync(page, "stock-take-posted");

        await page.OpenAsync("/catalog/products/E2E-TAKE-1");
        var ldn = page.GetByTestId("stock-per-outlet").Locator("tbody tr").Filter(new() { HasText = "LDN-01" });
        await Assertions.Expect(ldn.GetByTestId("on-hand")).ToHaveTextAsync("8");
    }
}
