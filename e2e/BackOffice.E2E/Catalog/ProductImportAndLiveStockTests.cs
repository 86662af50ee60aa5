using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Catalog;

[Collection(BackOfficeServerCollection.Name)]
public sealed class ProductImportAndLiveStockTests(BackOfficeServer server)
{
    [Fact]
    public async Task Import_products_from_a_csv_then_watch_a_receipt_in_another_tab_reach_the_product_page_without_reload()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        var csv = Path.Combine(Path.GetTempPath(), $"products-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv,
            "sku,barcode,name,price,reorderLevel,tracksExpiry,active\n" +
            "E2E-IMP-1,5099999000912,E2E Imported lotion 200 ml,7.25,4,true,true\n" +
            "E2E-IMP-2,,E2E Imported plasters,2.10,,,\n" +
            "E2E-IMP-3,,E2E Bad price,seven,,,\n");
        try
        {
            await page.OpenAsync("/catalog/products");
            await page.GetByTestId("product-import").ClickUntilAsync(page.GetByTestId("import-choose"));
            await page.Locator(".mud-dialog input[type=file]").SetInputFilesAsync(csv);
            await Assertions.Expect(page.GetByTestId("import-preview").Locator("tbody tr")).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByTestId("import-row-error")).ToContainTextAsync("price 'seven' is not a number");
            await server.ScreenshotAsync(page, "product-import-preview");

            await page.GetByTestId("import-run").ClickAsync();
            await Assertions.Expect(page.GetByTestId("import-summary")).ToContainTextAsync("Created 2, updated 0, failed 0.");
            await Assertions.Expect(page.GetByTestId("import-progress-text")).ToContainTextAsync("2 / 2 rows");
            await server.ScreenshotAsync(page, "product-import-summary");
            await page.GetByTestId("import-close").ClickAsync();
            (await server.ScalarAsync("SELECT COUNT(*) FROM \"Products\" WHERE \"Sku\" LIKE 'E2E-IMP-%'")).ShouldBe(2);
        }
        finally
        {
            File.Delete(csv);
        }

        // The product page stays open in one tab; goods are received in another.
        await page.OpenAsync("/catalog/products/E2E-IMP-1");
        var ldn = page.GetByTestId("stock-per-outlet").Locator("tbody tr").Filter(new() { HasText = "LDN-01" });
        await Assertions.Expect(ldn.GetByTestId("on-hand")).ToHaveTextAsync("0");
        var other = await context.NewPageAsync();
        await other.ReceiveAsync("5099999000912", "LOT-LIVE-1", "2027-08-31", 18, "3.10");
        await Assertions.Expect(other.GetByTestId("receive-result")).ToContainTextAsync("E2E-IMP-1");

        await Assertions.Expect(ldn.GetByTestId("on-hand")).ToHaveTextAsync("18");
        await Assertions.Expect(page.GetByTestId("batches")).ToContainTextAsync("LOT-LIVE-1");
        await server.ScreenshotAsync(page, "product-detail-live");
    }
}
