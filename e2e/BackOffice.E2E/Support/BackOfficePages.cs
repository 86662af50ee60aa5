using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BackOffice.E2E.Support;

/// <summary>Steps the back-office flows share: signing in, and doing things once the page is interactive.</summary>
public static class BackOfficePages
{
    /// <summary>A new context signed in as the dev admin, on the dashboard.</summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(this BackOfficeServer server)
    {
        var (email, password) = server.DevAdmin();
        var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex("/$"));
        return (context, page);
    }

    /// <summary>
    /// Opens a page and waits for the interactive circuit: the page is prerendered first, and clicks before the circuit
    /// is up would do nothing. Blazor marks the document once it has started.
    /// </summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Clicks until <paramref name="then"/> is visible (a click during the circuit's start is lost).</summary>
    public static async Task ClickUntilAsync(this ILocator button, ILocator then)
    {
        for (var attempt = 0; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await then.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 3000 });
                return;
            }
            catch (TimeoutException) when (attempt < 4) { }
        }
    }

    /// <summary>Fills a MudBlazor field and leaves it, so that its change event binds the value.</summary>
    public static async Task EnterAsync(this ILocator field, string value)
    {
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    public static ILocator DialogButton(this IPage page, string name) =>
        page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Creates a product through the products page.</summary>
    public static async Task CreateProductAsync(this IPage page, string sku, string barcode, string name)
    {
        await page.OpenAsync("/catalog/products");
        await page.GetByTestId("product-new").ClickUntilAsync(page.GetByTestId("product-sku"));
        await page.GetByTestId("product-sku").EnterAsync(sku);
        await page.GetByTestId("product-barcode").EnterAsync(barcode);
        await page.GetByTestId("product-name").EnterAsync(name);
        await page.GetByTestId("product-price").EnterAsync("6.50");
        await page.GetByTestId("product-reorder").EnterAsync("5");
        await page.GetByTestId("product-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("product-dialog")).ToBeHiddenAsync();
    }

    /// <summary>Receives one line into the first outlet (LDN-01) through the receive page.</summary>
    public static async Task ReceiveAsync(this IPage page, string code, string lot, string expiry, int quantity, string cost)
    {
        await page.OpenAsync("/inventory/receive");
        await page.GetByTestId("line-code").WaitForAsync();
        await page.GetByTestId("line-code").EnterAsync(code);
        await page.GetByTestId("line-lot").EnterAsync(lot);
        await page.GetByTestId("line-expiry").EnterAsync(expiry);
        await page.GetByTestId("line-quantity").EnterAsync(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("line-cost").EnterAsync(cost);
        await page.GetByTestId("receive-submit").ClickUntilAsync(page.GetByTestId("receive-result"));
    }
}
