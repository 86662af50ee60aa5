using System.Net;
using BackOffice.Tests.Support;
using BackOffice.Web.Jobs;

namespace BackOffice.Tests.Jobs;

/// <summary>/hangfire: admins and managers only (managers read-only); anonymous browsers go to the login page.</summary>
public sealed class DashboardAuthorizationTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/recurring")]
    public async Task Anonymous_browser_is_sent_to_the_login_page(string path)
    {
        using var browser = app.CreateBrowserClient();
        var response = await browser.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldContain("/account/login");
        Uri.UnescapeDataString(location).ShouldContain("ReturnUrl=" + path);
    }

    [Fact]
    public async Task Anonymous_script_gets_401()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        (await client.GetAsync("/hangfire/stats")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Cashier_gets_403()
    {
        using var cashier = await app.CashierClientAsync();
        (await cashier.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await cashier.GetAsync("/hangfire/recurring")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Manager_sees_the_recurring_jobs_read_only()
    {
        using var manager = await app.ManagerClientAsync();
        var response = await manager.GetAsync("/hangfire/recurring");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain(StockJobs.ExpiryJobId);
        html.ShouldContain(StockJobs.NearExpiryJobId);
        html.ShouldContain(StockJobs.LowStockJobId);
        html.ShouldContain("5 * * * *");
        html.ShouldNotContain("Trigger now", customMessage: "managers may look, not run or delete jobs");
    }

    [Fact]
    public async Task Admin_sees_the_recurring_jobs_with_their_commands()
    {
        using var admin = await app.AdminClientAsync();
        (await admin.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await (await admin.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        html.ShouldContain(StockJobs.ExpiryJobId);
        html.ShouldContain("Trigger now");
    }
}
