using BackOffice.E2E.Support;
using BackOffice.E2E.Till;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BackOffice.E2E.Accessibility;

/// <summary>
/// axe-core over the till's screens as a cashier meets them, in one device: set-up, the sale screen with a cart and the
/// whole product list, the payment dialog, the receipt, returns (empty, then a sale found), the Z report and Till &amp; sync.
/// Each screen is checked as it comes (every violation counts, whatever its impact: the 60 aria-allowed-role findings
/// were minor) and the test fails once at the end with every screen's problems.
/// </summary>
[Collection(TillServerCollection.Name)]
public sealed class TillAccessibilityTests(BackOfficeServer server, ITestOutputHelper output)
{
    private readonly List<string> _failures = [];

    private async Task CheckAsync(IPage page, string screen)
    {
        var audit = await AxeAudit.RunAsync(page, strict: true);
        audit.WriteNotes(screen, output);
        if (audit.Failing.Count > 0) _failures.Add(AxeAudit.Report(screen, page.Url, audit.Failing));
    }

    [Fact]
    public async Task Every_till_screen_has_no_serious_accessibility_violation()
    {
        var sku = await server.NewStockedProductAsync("A11Y-TILL");
        await using var device = await server.NewContextAsync();

        var setup = await device.NewPageAsync();
        await setup.GotoAsync("/till/");
        await setup.WaitForSelectorAsync("#app[data-state=setup]");
        await CheckAsync(setup, "set-up");
        await setup.CloseAsync();   // the tab that enters the token below must be the one holding the till

        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);
        await till.ProductRow(sku).ClickAsync();
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await till.GetByTestId("search").FillAsync("");   // the whole list (the first 60 by name), with its stock badges
        await Assertions.Expect(till.GetByTestId("product-row").Nth(10)).ToBeVisibleAsync();
        await CheckAsync(till, "sale with a cart");

        await till.GetByTestId("pay").ClickAsync();
        await Assertions.Expect(till.GetByTestId("payment-dialog")).ToBeVisibleAsync();
        await CheckAsync(till, "payment dialog");

        await till.GetByTestId("confirm-payment").ClickAsync();
        var receipt = till.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });
        var saleId = (await receipt.GetAttributeAsync("data-sale-id"))!;
        await CheckAsync(till, "receipt");
        await till.GetByTestId("new-sale").ClickAsync();

        await till.GetByTestId("nav-returns").ClickAsync();
        await Assertions.Expect(till.GetByTestId("return-sale-row").First).ToBeVisibleAsync();
        await CheckAsync(till, "returns, choosing a sale");
        await till.GetByTestId("return-sale-search").FillAsync(saleId);
        await till.GetByTestId("return-find").ClickAsync();
        await Assertions.Expect(till.Locator($"[data-testid=return-line][data-sku='{sku}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await CheckAsync(till, "returns, a sale found");

        await till.GetByTestId("nav-z-report").ClickAsync();
        await Assertions.Expect(till.GetByTestId("z-source")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await CheckAsync(till, "Z report");

        await till.GetByTestId("nav-sync").ClickAsync();
        await Assertions.Expect(till.GetByTestId("sync-view")).ToBeVisibleAsync();
        await CheckAsync(till, "till & sync");

        _failures.ShouldBeEmpty(string.Join("\n\n", _failures));
    }
}
