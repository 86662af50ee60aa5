using System.Collections.Concurrent;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Foundation;

/// <summary>
/// The back-office and the till under their Content-Security-Policies in a real browser: every page the tour opens
/// renders and works, and Chromium refuses nothing (it logs each refusal on the console).
/// </summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class ContentSecurityPolicyTests(BackOfficeServer server)
{
    [Fact]
    public async Task Back_office_pages_run_without_a_violation()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        var refused = Watch(context);

        foreach (var path in new[] { "/", "/catalog/products", "/inventory/receive", "/reports/stock", "/reports/sales", "/tills", "/admin/users", "/hangfire" })
        {
            var response = await page.GotoAsync(path);
            response!.Status.ShouldBe(200, path);
            response.Headers["content-security-policy"].ShouldContain("frame-ancestors 'none'");
            if (!path.StartsWith("/hangfire", StringComparison.Ordinal))
            {
                await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }
        }
        // A dialog (MudBlazor's popovers and inline styles) and the circuit's round trip.
        await page.OpenAsync("/catalog/products");
        await page.GetByTestId("product-new").ClickUntilAsync(page.Locator(".mud-dialog"));

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_till_runs_without_a_violation()
    {
        await using var context = await server.NewContextAsync();
        var refused = Watch(context);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/till/");
        response!.Headers["content-security-policy"].ShouldNotContain("unsafe-inline");
        await page.GetByTestId("token-input").FillAsync(server.DemoTillToken());
        await page.GetByTestId("token-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        refused.ShouldBeEmpty();
    }

    [Fact]
    public async Task No_page_can_frame_the_back_office_or_the_till()
    {
        // A context of its own, outside the run's violation check: this test makes the browser refuse on purpose.
        await using var context = await server.Browser.NewContextAsync();
        foreach (var path in new[] { "/account/login", "/till/" })
        {
            var page = await context.NewPageAsync();
            var refused = new ConcurrentQueue<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("frame-ancestors 'none'", StringComparison.Ordinal)) refused.Enqueue(message.Text);
            };

            await page.SetContentAsync($"<iframe src='{server.BaseUrl}{path}'></iframe>");

            await TillPages.WaitUntilAsync(() => Task.FromResult(!refused.IsEmpty), $"the browser refusing to frame {path}", seconds: 15);
        }
    }

    private static ConcurrentQueue<string> Watch(IBrowserContext context)
    {
        var refused = new ConcurrentQueue<string>();
        context.Console += (_, message) =>
        {
            if (BackOfficeServer.IsCspViolation(message.Text)) refused.Enqueue(message.Text);
        };
        return refused;
    }
}
