using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Till;

[CollectionDefinition(Name)]
public sealed class TillServerCollection : ICollectionFixture<BackOfficeServer>
{
    // Its own app process: one test stops and restarts the server.
    public const string Name = "Till server";
}

/// <summary>The till PWA in Chromium against the real server: online, offline, two tabs, a server that goes down.</summary>
[Collection(TillServerCollection.Name)]
public sealed class TillTests(BackOfficeServer server) : IAsyncLifetime
{
    private string _sku = "";

    public async Task InitializeAsync() =>
        // A product with plenty of sellable stock at the demo till's outlet (the first outlet).
        _sku = await server.TextAsync("""
            SELECT p.Sku FROM Products p JOIN Batches b ON b.ProductId = p.Id
            WHERE b.OutletId = (SELECT MIN(Id) FROM Outlets) AND p.Active = 1
              AND (b.ExpiryDate IS NULL OR b.ExpiryDate >= date('now', '+2 days'))
            GROUP BY p.Id HAVING SUM(b.OnHand) >= 200 ORDER BY p.Sku LIMIT 1
            """) ?? throw new InvalidOperationException("The demo data has no well-stocked product at the first outlet.");

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> SalesAsync() => server.ScalarAsync("SELECT COUNT(*) FROM Sales");

    private Task<IPage> OpenTillAsync(IBrowserContext context) => context.OpenTillAsync(server.DemoTillToken(), _sku);

    private async Task<IPage> ReopenAsync(IPage page)
    {
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }

    private Task<string> SellAsync(IPage page, int quantity = 1, bool doubleClick = false) => page.SellAsync(_sku, quantity, doubleClick);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60) => TillPages.WaitUntilAsync(condition, what, seconds);

    [Fact]
    public async Task A_sale_online_shows_its_lots_on_the_receipt_and_the_stock_changes_live_on_another_till()
    {
        await using var cashier = await server.NewContextAsync();
        await using var colleague = await server.NewContextAsync();
        var till = await OpenTillAsync(cashier);
        var other = await OpenTillAsync(colleague);
        var row = other.Locator($"[data-testid=product-row][data-sku='{_sku}']");
        var before = int.Parse((await row.GetAttributeAsync("data-available"))!);
        var sales = await SalesAsync();

        await till.GetByTestId("search").FillAsync(_sku);
        await till.Locator($"[data-testid=product-row][data-sku='{_sku}']").ClickAsync();
        await till.GetByTestId("cart-line-inc").First.ClickAsync();
        await till.GetByTestId("pay").ClickAsync();
        await till.GetByTestId("confirm-payment").ClickAsync();

        var receipt = till.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });
        await Assertions.Expect(till.GetByTestId("receipt-lot").First).ToBeVisibleAsync();
        await server.ScreenshotAsync(till, "till-receipt");
        (await SalesAsync()).ShouldBe(sales + 1);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-available", (before - 2).ToString(), new() { Timeout = 10_000 });
        await server.ScreenshotAsync(other, "till-live-stock");
    }

    [Fact]
    public async Task A_london_receipt_is_in_pounds_with_its_vat_row_as_the_server_recorded_it()
    {
        // A standard-rated product (20% VAT in London) with stock at the demo till's outlet.
        var sku = await server.TextAsync("""
            SELECT p.Sku FROM Products p JOIN Batches b ON b.ProductId = p.Id
            WHERE b.OutletId = (SELECT MIN(Id) FROM Outlets) AND p.Active = 1 AND p.TaxCategory <> 'medicines'
              AND (b.ExpiryDate IS NULL OR b.ExpiryDate >= date('now', '+2 days'))
            GROUP BY p.Id HAVING SUM(b.OnHand) >= 5 ORDER BY p.Sku LIMIT 1
            """) ?? throw new InvalidOperationException("The demo data has no standard-rated product in stock at the first outlet.");
        await using var cashier = await server.NewContextAsync();
        var till = await cashier.OpenTillAsync(server.DemoTillToken(), sku);
        var saleId = await till.SellAsync(sku, 2, keepReceipt: true);

        var receipt = till.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });
        await Assertions.Expect(receipt.GetByTestId("receipt-total")).ToHaveTextAsync(new Regex(@"^£\d+\.\d\d$"));
        var row = receipt.GetByTestId("receipt-tax");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToHaveAttributeAsync("data-rate", "20");
        await Assertions.Expect(row).ToContainTextAsync("20%");
        var recorded = await server.TextAsync($"SELECT Tax FROM SaleLines WHERE lower(SaleId) = lower('{saleId}')");
        decimal.Parse((await row.GetAttributeAsync("data-tax"))!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(decimal.Parse(recorded!, System.Globalization.CultureInfo.InvariantCulture), "the till printed the tax the server recorded");
        await server.ScreenshotAsync(till, "till-receipt-vat");
    }

    [Fact]
    public async Task Twenty_sales_made_offline_survive_a_reload_and_a_closed_page_and_are_recorded_once()
    {
        await using var context = await server.NewContextAsync();
        var page = await OpenTillAsync(context);
        var sales = await SalesAsync();

        await context.SetOfflineAsync(true);
        page = await ReopenAsync(page);   // the shell now comes from the service worker
        await Assertions.Expect(page.GetByTestId("online-status")).Not.ToHaveAttributeAsync("data-state", "online");
        for (var i = 0; i < 20; i++) await SellAsync(page);
        await Assertions.Expect(page.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "20");
        await server.ScreenshotAsync(page, "till-offline-queue");
        await page.CloseAsync();
        (await SalesAsync()).ShouldBe(sales, "nothing reached the server while offline");

        page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync("/till/");
        await Assertions.Expect(page.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "20", new() { Timeout = 15_000 });
        await context.SetOfflineAsync(false);

        await WaitUntilAsync(async () => await SalesAsync() >= sales + 20, "20 sales on the server");
        await Assertions.Expect(page.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 30_000 });
        (await SalesAsync()).ShouldBe(sales + 20);
        // Each was allocated FEFO, in full or with a recorded shortfall.
        (await server.ScalarAsync("""
            SELECT COUNT(*) FROM SaleLines l
            WHERE l.Allocated + l.Shortfall <> l.Quantity
               OR l.Allocated <> (SELECT COALESCE(SUM(a.Quantity), 0) FROM Allocations a WHERE a.SaleLineId = l.Id)
            """)).ShouldBe(0);
    }

    [Fact]
    public async Task A_double_click_on_complete_sale_makes_one_sale()
    {
        await using var context = await server.NewContextAsync();
        var page = await OpenTillAsync(context);
        var sales = await SalesAsync();

        await SellAsync(page, doubleClick: true);

        await WaitUntilAsync(async () => await SalesAsync() >= sales + 1, "the sale on the server");
        await Task.Delay(1500);
        (await SalesAsync()).ShouldBe(sales + 1);
    }

    [Fact]
    public async Task Only_the_tab_holding_the_till_sells_and_the_next_one_takes_over_with_its_own_sale_ids()
    {
        // Products of its own: the stock of each is this test's alone.
        var x = await server.NewStockedProductAsync("TABX");
        var y = await server.NewStockedProductAsync("TABY");
        var (xBefore, yBefore) = (await server.OnHandAsync(x), await server.OnHandAsync(y));
        await using var context = await server.NewContextAsync();   // one device: both tabs share its storage and Web Locks
        var first = await context.OpenTillAsync(server.DemoTillToken(), x);
        await Assertions.Expect(first.Locator("#app")).ToHaveAttributeAsync("data-role", "leader");
        var second = await context.OpenTillAsync(server.DemoTillToken(), y);

        // The second tab is a follower: it shows the till but cannot sell.
        var banner = second.GetByTestId("tab-lock-banner");
        await Assertions.Expect(second.Locator("#app")).ToHaveAttributeAsync("data-role", "follower");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync("This till is open in another tab or window");
        await Assertions.Expect(first.GetByTestId("tab-lock-banner")).ToBeHiddenAsync();
        await Assertions.Expect(second.ProductRow(y)).ToBeDisabledAsync();
        await Assertions.Expect(second.GetByTestId("pay")).ToBeDisabledAsync();
        await server.ScreenshotAsync(second, "till-follower-tab");
        var sales = await SalesAsync();

        var soldFirst = await first.SellAsync(x, quantity: 2);

        // Still nothing to sell with in the follower: neither a (forced) click on the product nor Enter in the search adds it.
        await second.ProductRow(y).ClickAsync(new() { Force = true });
        await second.GetByTestId("search").PressAsync("Enter");
        await Assertions.Expect(second.GetByTestId("toast").Filter(new() { HasText = "This till is open in another tab" }).First).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByTestId("cart-line")).ToHaveCountAsync(0);
        await Assertions.Expect(second.GetByTestId("pay")).ToBeDisabledAsync();

        // The leader closes (whether or not its upload finished): the follower takes the till over and sells.
        await first.CloseAsync();
        await Assertions.Expect(second.Locator("#app")).ToHaveAttributeAsync("data-role", "leader", new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToBeHiddenAsync();
        await second.GetByTestId("search").FillAsync(y);   // Enter above emptied the search
        await Assertions.Expect(second.ProductRow(y)).ToBeEnabledAsync();
        var soldSecond = await second.SellAsync(y, quantity: 3, keepReceipt: true);
        soldSecond.ShouldNotBe(soldFirst, "a sale id already used is never shown again");
        await Assertions.Expect(second.GetByTestId("receipt-status")).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });

        await WaitUntilAsync(async () => await SalesAsync() >= sales + 2, "2 sales on the server");
        await Assertions.Expect(second.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 15_000 });
        await Task.Delay(2000);
        (await SalesAsync()).ShouldBe(sales + 2, "each sale is uploaded once");
        (await server.SalesWithIdAsync(soldFirst)).ShouldBe(1);
        (await server.SaleLinesAsync(soldFirst)).ShouldBe($"{x}×2");
        (await server.SalesWithIdAsync(soldSecond)).ShouldBe(1);
        (await server.SaleLinesAsync(soldSecond)).ShouldBe($"{y}×3");
        (await server.OnHandAsync(x)).ShouldBe(xBefore - 2);
        (await server.OnHandAsync(y)).ShouldBe(yBefore - 3);
    }

    [Fact]
    public async Task Sales_made_while_the_server_is_down_are_recorded_once_it_is_back()
    {
        await using var context = await server.NewContextAsync();
        var page = await OpenTillAsync(context);
        var sales = await SalesAsync();

        await server.StopAppAsync();
        try
        {
            for (var i = 0; i < 3; i++) await SellAsync(page);
            await Assertions.Expect(page.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "3", new() { Timeout = 15_000 });
        }
        finally
        {
            await server.StartAppAsync();
        }

        await page.GetByTestId("nav-sync").ClickAsync();
        await page.GetByTestId("sync-now").ClickAsync();
        await WaitUntilAsync(async () => await SalesAsync() >= sales + 3, "3 sales on the server after it came back", 90);
        await Assertions.Expect(page.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 30_000 });
        (await SalesAsync()).ShouldBe(sales + 3);
    }

    [Fact]
    public async Task A_sale_made_on_another_device_is_found_on_the_server_and_part_of_it_returned()
    {
        await using var counter = await server.NewContextAsync();
        await using var service = await server.NewContextAsync();   // another device: its history does not have the sale
        var till = await OpenTillAsync(counter);
        await till.GetByTestId("search").FillAsync(_sku);
        await till.Locator($"[data-testid=product-row][data-sku='{_sku}']").ClickAsync();
        await till.GetByTestId("cart-line-inc").First.ClickAsync();
        await till.GetByTestId("pay").ClickAsync();
        await till.GetByTestId("confirm-payment").ClickAsync();
        await Assertions.Expect(till.GetByTestId("receipt")).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });
        var saleId = (await till.GetByTestId("receipt").GetAttributeAsync("data-sale-id"))!;
        var returns = await server.ScalarAsync("SELECT COUNT(*) FROM Returns");

        var desk = await OpenTillAsync(service);
        await desk.GetByTestId("nav-returns").ClickAsync();
        await desk.GetByTestId("return-sale-search").FillAsync(saleId);
        await desk.GetByTestId("return-find").ClickAsync();
        var line = desk.Locator($"[data-testid=return-line][data-sku='{_sku}']");
        await Assertions.Expect(line).ToHaveAttributeAsync("data-remaining", "2", new() { Timeout = 10_000 });
        await line.GetByTestId("return-qty").FillAsync("1");
        await desk.GetByTestId("return-submit").ClickAsync();

        await Assertions.Expect(desk.GetByTestId("return-status")).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 20_000 });
        await server.ScreenshotAsync(desk, "till-return");
        (await server.ScalarAsync("SELECT COUNT(*) FROM Returns")).ShouldBe(returns + 1);
        (await server.ScalarAsync($"SELECT COALESCE(SUM(Quantity), 0) FROM ReturnLines WHERE ReturnId IN (SELECT Id FROM Returns WHERE SaleId = '{saleId.ToUpperInvariant()}')")).ShouldBe(1);
    }

    [Fact]
    public async Task The_z_report_comes_from_the_server_when_online_and_from_the_till_offline()
    {
        await using var context = await server.NewContextAsync();
        var page = await OpenTillAsync(context);
        await SellAsync(page);

        await page.GetByTestId("nav-z-report").ClickAsync();
        await Assertions.Expect(page.GetByTestId("z-source")).ToHaveAttributeAsync("data-source", "server", new() { Timeout = 10_000 });
        int.Parse(await page.GetByTestId("z-sales-count").InnerTextAsync()).ShouldBeGreaterThanOrEqualTo(1);
        await server.ScreenshotAsync(page, "till-z-report");

        await context.SetOfflineAsync(true);
        await page.GetByTestId("nav-sale").ClickAsync();
        await page.GetByTestId("nav-z-report").ClickAsync();
        await Assertions.Expect(page.GetByTestId("z-source")).ToHaveAttributeAsync("data-source", "local", new() { Timeout = 15_000 });
        await context.SetOfflineAsync(false);
    }
}
