using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Catalog;

[Collection(BackOfficeServerCollection.Name)]
public sealed class ProductToStockTests(BackOfficeServer server)
{
    [Fact]
    public async Task Sign_in_create_a_product_receive_it_and_see_the_stock_on_its_page()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;

        await page.CreateProductAsync("E2E-CREAM-50", "5099999000011", "E2E Barrier cream 50 ml");
        // The demo catalog has hundreds of products: search finds the new one.
        await page.GetByTestId("products-search").FillAsync("E2E-CREAM");
        await Assertions.Expect(page.GetByTestId("product-link")).ToHaveTextAsync(["E2E-CREAM-50"]);
        await server.ScreenshotAsync(page, "products");

        await page.ReceiveAsync("5099999000011", "LOT-E2E-1", "2027-06-30", 24, "1.25");
        await Assertions.Expect(page.GetByTestId("receive-result")).ToContainTextAsync("E2E-CREAM-50");
        await server.ScreenshotAsync(page, "receive-goods");

        await page.OpenAsync("/catalog/products/E2E-CREAM-50");
        var ldn = page.GetByTestId("stock-per-outlet").Locator("tbody tr").Filter(new() { HasText = "LDN-01" });
        await Assertions.Expect(ldn.GetByTestId("on-hand")).ToHaveTextAsync("24");
        await Assertions.Expect(page.GetByTestId("batches")).ToContainTextAsync("LOT-E2E-1");
        await Assertions.Expect(page.GetByTestId("ledger")).ToContainTextAsync("Receipt");
        await server.ScreenshotAsync(page, "product-detail");
    }
}
