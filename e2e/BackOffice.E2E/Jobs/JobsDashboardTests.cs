using System.Text.RegularExpressions;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Jobs;

/// <summary>The jobs in a real browser: the Hangfire dashboard for the admin, and a "run now" button on the notifications page.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class JobsDashboardTests(BackOfficeServer server)
{
    private async Task<IPage> SignInAsync(IBrowserContext context, string path)
    {
        var (email, password) = server.DevAdmin();
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        new Uri(page.Url).AbsolutePath.ShouldBe("/account/login", "an anonymous visitor is sent to sign in first");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(path) + "$"));
        return page;
    }

    [Fact]
    public async Task Admin_opens_the_dashboard_and_sees_the_recurring_jobs()
    {
        await using var context = await server.NewContextAsync();
        var page = await SignInAsync(context, "/hangfire/recurring");

        var table = page.Locator(".js-jobs-list table");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(table).ToContainTextAsync("expiry-marking");
        await Assertions.Expect(table).ToContainTextAsync("near-expiry-alert");
        await Assertions.Expect(table).ToContainTextAsync("low-stock-alert");
        await Assertions.Expect(table).ToContainTextAsync("Mark expired stock");
        // The admin may run them (managers only look).
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" })).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "hangfire-recurring");
    }

    [Fact]
    public async Task Check_stock_levels_now_runs_the_job_and_lists_the_notifications()
    {
        await using var context = await server.NewContextAsync();
        var page = await SignInAsync(context, "/notifications");
        // Enabled once the circuit is connected.
        await Assertions.Expect(page.GetByTestId("run-low-stock")).ToBeEnabledAsync(new() { Timeout = 15_000 });

        await page.GetByTestId("run-low-stock").ClickAsync();

        // Enqueued, picked up by the app's own job server, result shown; the demo outlets have low-stock products.
        var outcome = page.GetByTestId("job-outcome");
        await Assertions.Expect(outcome).ToContainTextAsync("notifications added", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("notifications")).ToContainTextAsync("at or below reorder level");
        await Assertions.Expect(page.GetByTestId("notification-badge")).ToContainTextAsync(new Regex("[1-9]"));
        await server.ScreenshotAsync(page, "notifications-after-run");
    }
}
