using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Reporting;

/// <summary>
/// Each report in a real browser: it opens from the Reports menu, a product search narrows it, the chart is drawn, and
/// the CSV downloaded from the page has the page's header and exactly the rows the page shows.
/// </summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class ReportTests(BackOfficeServer server)
{
    [Theory]
    [InlineData("stock", "Stock and valuation", "report-table", "Outlet,SKU,Product,On hand", true)]
    [InlineData("expiry", "Expiring soon", "expiring-table", "Expires,Days left,Outlet,SKU", true)]
    [InlineData("ledger", "Movement ledger", "ledger-table", "Id,When (UTC),Outlet,Kind,SKU", false)]
    [InlineData("sales", "Sales", "report-table", "Day,Currency,Quantity (net),Returned,Revenue (net),Tax,Gross", true)]
    [InlineData("reorder", "Reorder", "report-table", "Outlet,SKU,Product,Reorder level", false)]
    [InlineData("discrepancies", "Shortfalls", "report-table", "Outlet,SKU,Product,Units short", true)]
    [InlineData("variance", "Stock-take variance", "report-table", "Stock take,Outlet,Opened (UTC),Status", true)]
    public async Task A_manager_opens_filters_sees_the_chart_and_downloads_the_csv(string name, string menu, string table, string header, bool chart)
    {
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        // The menu link, once the dashboard's circuit is up (a click before it is a plain page load, which is fine too).
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Assertions.Expect(page.GetByTestId("total-stock-value").First).ToBeVisibleAsync();
        await page.GetByTestId("nav").GetByText(menu, new() { Exact = true }).ClickAsync();
        // Blazor navigates in the page: the address is enough, the heading says the page is there. On a cold app the first
        // click can change the address long before the circuit draws the page; then the report is opened by its address.
        await page.WaitForURLAsync(new Regex($"/reports/{name}$"), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        var heading = name == "reorder" ? "Reorder" : menu;
        try { await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(heading, new() { Timeout = 10_000 }); }
        catch (PlaywrightException)
        {
            await page.GotoAsync($"/reports/{name}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(heading, new() { Timeout = 20_000 });
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        }
        var rows = page.GetByTestId(table).Locator("tbody tr");
        // The first report of a fresh app waits for its first queries (and SQLite's first page-ins).
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        if (chart) await Assertions.Expect(page.GetByTestId("chart")).ToBeVisibleAsync();

        // Narrow to the first row's product where the report has a product column.
        var skuCell = page.GetByTestId(table).Locator("tbody tr").First.Locator("td[data-label='SKU']");
        if (await skuCell.CountAsync() > 0)
        {
            var sku = (await skuCell.InnerTextAsync()).Trim();
            await page.GetByTestId("filter-product").FillAsync(sku);
            await page.GetByTestId("filter-product").PressAsync("Tab");
            await Assertions.Expect(page.GetByTestId(table + "-csv")).ToHaveAttributeAsync("href", new Regex($"product={Regex.Escape(Uri.EscapeDataString(sku))}"));
            await Assertions.Expect(rows.First).ToContainTextAsync(sku);
        }
        else
        {
            await page.GetByTestId("filter-product").FillAsync("no such product");
            await page.GetByTestId("filter-product").PressAsync("Tab");
            await Assertions.Expect(page.GetByTestId(table + "-csv")).ToHaveAttributeAsync("href", new Regex("product=no%20such%20product"));
        }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (chart && name is "stock" or "expiry") await Assertions.Expect(page.GetByTestId("chart").Locator("svg").First).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, $"report-{name}");

        var shown = await rows.Locator("td[data-label]").First.CountAsync() == 0 ? 0 : await rows.CountAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId(table + "-csv").ClickAsync());
        download.SuggestedFilename.ShouldStartWith(name);
        download.SuggestedFilename.ShouldEndWith(".csv");
        var path = Path.Combine(server.ArtifactsFolder, $"report-{name}.csv");
        await download.SaveAsAsync(path);
        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith(header);
        (lines.Length - 1).ShouldBe(shown, "the CSV holds the rows the page shows");
    }

    private async Task SignInAsync(IPage page)
    {
        var (email, password) = server.DevAdmin();
        await page.GotoAsync("/");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex("/$"), new() { Timeout = 60_000 });
    }
}
