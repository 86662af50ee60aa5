using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BackOffice.E2E.Accessibility;

/// <summary>
/// axe-core over every back-office page (each <c>@page</c> of src/BackOffice.Web but the cashier's landing, which shares the
/// login page's layout): no critical or serious violation, one main landmark and one h1. One signed-in tab serves every
/// case and moves between pages as a manager does, through Blazor's own navigation in the same circuit, so a case costs a
/// render and an axe run, not a sign-in and a page load.
/// </summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class BackOfficeAccessibilityTests(BackOfficeServer server, ITestOutputHelper output)
{
    // Shared by the cases of this class in this run (xunit makes an instance per case); closed with the browser.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SignedInTab? _tab;

    private sealed record SignedInTab(BackOfficeServer Server, IPage Page, string Sku, int StockTakeId);

    /// <summary>Route (with {sku} and {take} filled in at run time) and what shows once the page has its data.</summary>
    [Theory]
    [InlineData("/", "[data-testid=total-stock-value]")]
    [InlineData("/catalog/products", "[data-testid=product-link]")]
    [InlineData("/catalog/products/{sku}", "[data-testid=batches] tbody tr")]
    [InlineData("/inventory/receive", "[data-testid=receive-submit]")]
    [InlineData("/inventory/adjustments", "[data-testid=recent-adjustments]")]
    [InlineData("/inventory/transfers", "[data-testid=recent-transfers]")]
    [InlineData("/inventory/discrepancies", "[data-testid=discrepancies]")]
    [InlineData("/inventory/disposal", "[data-testid=disposal-list] tbody tr")]
    [InlineData("/lots/recalls", "[data-testid=recalled-lots], [data-testid=recalled-empty]")]
    [InlineData("/stock-takes", "[data-testid=stocktake-link]")]
    [InlineData("/stock-takes/{take}", "[data-testid=count-lines] tbody tr")]
    [InlineData("/reports/stock", "[data-testid=report-table] tbody tr")]
    [InlineData("/reports/expiry", "[data-testid=expiring-table] tbody tr")]
    [InlineData("/reports/ledger", "[data-testid=ledger-table] tbody tr")]
    [InlineData("/reports/sales", "[data-testid=report-table] tbody tr")]
    [InlineData("/reports/reorder", "[data-testid=report-table]")]
    [InlineData("/reports/discrepancies", "[data-testid=report-table]")]
    [InlineData("/reports/variance", "[data-testid=report-table] tbody tr")]
    [InlineData("/notifications", "[data-testid=notifications], [data-testid=no-notifications]")]
    [InlineData("/sales/rejected", "[data-testid=rejected-sales]")]
    [InlineData("/tills", "[data-testid=tills]")]
    [InlineData("/admin/users", "[data-testid=users]")]
    [InlineData("/admin/api-keys", "[data-testid=api-keys]")]
    [InlineData("/admin/outlets", "[data-testid=outlets] tbody tr")]
    [InlineData("/not-found", "h1")]
    public async Task A_back_office_page_has_no_serious_accessibility_violation(string route, string ready)
    {
        var tab = await SignedInTabAsync();
        var path = route.Replace("{sku}", Uri.EscapeDataString(tab.Sku)).Replace("{take}", tab.StockTakeId.ToString());

        await GoAsync(tab.Page, path);
        await ReadyAsync(tab.Page, ready);

        await AxeAudit.ShouldPassAsync(tab.Page, route, output);
    }

    /// <summary>The pages outside the signed-in layout: sign-in, and a status page.</summary>
    [Theory]
    [InlineData("/account/login", "[data-testid=login-form]")]
    [InlineData("/no-such-page", "text=Page not found")]   // the status page, as an unknown address shows it
    public async Task A_page_of_the_account_layout_has_no_serious_accessibility_violation(string route, string ready)
    {
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(route);
        await ReadyAsync(page, ready);

        await AxeAudit.ShouldPassAsync(page, route, output);
    }

    /// <summary>Dialogs a manager opens most: the product form and the stock take's opening.</summary>
    [Theory]
    [InlineData("/catalog/products", "product-new", "product-dialog")]
    [InlineData("/stock-takes", "stocktake-open", "open-stocktake-dialog")]
    public async Task A_dialog_has_no_serious_accessibility_violation(string route, string button, string dialog)
    {
        var tab = await SignedInTabAsync();
        await tab.Page.OpenAsync(route);
        await tab.Page.GetByTestId(button).ClickUntilAsync(tab.Page.GetByTestId(dialog));
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        try
        {
            await AxeAudit.ShouldPassAsync(tab.Page, $"{route}, {dialog}", output);
        }
        finally
        {
            // A MudBlazor dialog outlives navigation: leave the app, and the next case starts from a fresh page.
            await tab.Page.GotoAsync("about:blank");
        }
    }

    /// <summary>
    /// Goes to <paramref name="path"/> in the page's circuit (Blazor.navigateTo, as a click on a menu link does), or loads it
    /// when the tab is not on the app. What the last page drew is marked first, and gone once the new page is there.
    /// </summary>
    private async Task GoAsync(IPage page, string path)
    {
        if (!page.Url.StartsWith(server.BaseUrl, StringComparison.Ordinal))
        {
            await page.OpenAsync(path);
            return;
        }
        if (new Uri(page.Url).PathAndQuery == path) return;   // already there (the stock take the tab opened)
        await page.EvaluateAsync("""
            (path) => {
              for (const el of document.querySelectorAll('main > .mud-container > *')) el.setAttribute('data-a11y-previous', '');
              Blazor.navigateTo(path);
            }
            """, path);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-a11y-previous]') === null", null, new() { Timeout = 20_000 });
    }

    private static async Task ReadyAsync(IPage page, string ready)
    {
        await page.Locator(ready).First.WaitForAsync(new() { Timeout = 20_000 });
        // A table still loading shows a progress bar in place of its rows.
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-table-loading') === null", null, new() { Timeout = 20_000 });
    }

    private async Task<SignedInTab> SignedInTabAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_tab is { } tab && ReferenceEquals(tab.Server, server) && !tab.Page.IsClosed) return tab;
            var (_, page) = await server.SignedInAsync();
            // A product with batches (the demo data's first by sku), and a stock take of a product of this test's own.
            var sku = await server.TextAsync("SELECT p.Sku FROM Products p WHERE EXISTS (SELECT 1 FROM Batches b WHERE b.ProductId = p.Id) ORDER BY p.Sku LIMIT 1")
                ?? throw new InvalidOperationException("The demo data has no product with batches.");
            var counted = await server.NewStockedProductAsync("A11Y");
            await page.OpenAsync("/stock-takes");
            await page.GetByTestId("stocktake-open").ClickUntilAsync(page.GetByTestId("open-filter"));
            await page.GetByTestId("open-filter").EnterAsync(counted);
            await page.GetByTestId("open-submit").ClickAsync();
            await page.WaitForURLAsync(new Regex(@"/stock-takes/\d+$"));
            var take = int.Parse(new Uri(page.Url).Segments[^1]);
            // A fresh circuit: the "stock take opened" snackbar would fade out (at 1.6:1) over whichever page is audited next.
            await page.OpenAsync(new Uri(page.Url).PathAndQuery);
            return (_tab = new SignedInTab(server, page, sku, take));
        }
        finally
        {
            Gate.Release();
        }
    }
}
