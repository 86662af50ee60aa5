using System.Globalization;
using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Foundation;

/// <summary>Signing in to the back-office in a real browser, against the real app with its demo data.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class SignInTests(BackOfficeServer server)
{
    [Fact]
    public async Task Anonymous_visitor_lands_on_the_login_page()
    {
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/");

        response!.Status.ShouldBe(200);
        new Uri(page.Url).AbsolutePath.ShouldBe("/account/login");
        await Assertions.Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("login-email")).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "login");
    }

    [Fact]
    public async Task Dev_admin_signs_in_and_sees_the_dashboard_figures()
    {
        var (email, password) = server.DevAdmin();
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();

        await page.WaitForURLAsync(new Regex("/$"));
        // One total per currency of the demo's outlets (pounds, euros, dollars), never one sum over them.
        await Assertions.Expect(page.GetByTestId("total-stock-value")).ToHaveCountAsync(3);
        var total = page.GetByTestId("total-stock-value").First;
        await Assertions.Expect(total).ToBeVisibleAsync();
        // An amount in the browser's culture with its currency (e.g. £123,456.78 or EUR 123,456.78): digits with separators, not zero.
        (await total.InnerTextAsync()).ShouldMatch(@"^(£|€|\$|[A-Z]{3}[\s\u00a0])?-?\d[\d,.\s\u00a0\u202f]*([\s\u00a0](€|[A-Z]{3}))?$");
        (await total.InnerTextAsync()).ShouldMatch("[1-9]");
        int.Parse(await page.GetByTestId("total-expiring").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        await Assertions.Expect(page.GetByTestId("outlet-figures").Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(email);
        await Assertions.Expect(page.GetByTestId("nav")).ToContainTextAsync("Open the till");

        // Wait for the interactive circuit, so that the screenshot shows the page a manager works with.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await server.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_on_the_login_page()
    {
        var (email, _) = server.DevAdmin();
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe("/account/login");
    }
}
