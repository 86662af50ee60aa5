using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Setup;

/// <summary>The app as deployed on an empty database: Production, nothing seeded, no user at all.</summary>
public sealed class EmptyProductionApp : BackOfficeAppFactory
{
    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }

    /// <summary>The setup form's fields, as a browser posts them (Blazor's form name and the model's field names).</summary>
    public static Dictionary<string, string> SetupFields(string token, string email, string code, string password = "Setup-Passw0rd!") => new()
    {
        ["_handler"] = "setup",
        ["__RequestVerificationToken"] = token,
        ["Form.Email"] = email,
        ["Form.DisplayName"] = "First Admin",
        ["Form.Password"] = password,
        ["Form.ConfirmPassword"] = password,
        ["Form.Outlet.Code"] = code,
        ["Form.Outlet.Name"] = "Camden High Street Pharmacy",
        ["Form.Outlet.TimeZoneId"] = "Europe/London",
        ["Form.Outlet.Currency"] = "GBP",
        ["Form.Outlet.Culture"] = "en-GB",
        ["Form.Outlet.PricesIncludeTax"] = "True",
        ["Form.StandardRatePercent"] = "20",
    };

    /// <summary>GETs /setup (antiforgery cookie and token) and posts the form with <paramref name="change"/> applied.</summary>
    public static async Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string email, string code, Action<Dictionary<string, string>>? change = null,
        string password = "Setup-Passw0rd!")
    {
        var page = await client.GetAsync("/setup");
        page.StatusCode.ShouldBe(HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        var fields = SetupFields(Html.AntiforgeryToken(await page.Content.ReadAsStringAsync()), email, code, password);
        change?.Invoke(fields);
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync("/setup", form);
    }
}

/// <summary>The first run: every page leads to /setup until it is done, which makes the first admin and outlet once; then /setup is gone.</summary>
public sealed class FirstRunTests(EmptyProductionApp app) : IClassFixture<EmptyProductionApp>
{
    [Fact]
    public async Task Setup_is_offered_until_done_once_and_then_gone()
    {
        using var browser = app.CreateBrowserClient();
        foreach (var path in new[] { "/", "/catalog/products", "/admin/outlets", "/account/login" })
        {
            var redirected = await browser.GetAsync(path);
            redirected.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            redirected.Headers.Location!.OriginalString.ShouldBe("/setup", path);
        }
        // Machines and files are not sent there.
        (await browser.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Without the antiforgery token the post is refused.
        using (var forged = new FormUrlEncodedContent(EmptyProductionApp.SetupFields("forged", "eve@pharmacy.test", "EVE-01")))
            (await browser.PostAsync("/setup", forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // Bad fields come back on the form, by field; nothing is made.
        var bad = await EmptyProductionApp.PostSetupAsync(browser, "not-an-email", "bad code!", f =>
        {
            f["Form.Outlet.Currency"] = "ABC";
            f["Form.Outlet.TimeZoneId"] = "Mars/Olympus";
        }, password: "short");
        var badHtml = await bad.Content.ReadAsStringAsync();
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, badHtml);
        badHtml.ShouldContain("Enter the admin&#x27;s email address.");
        badHtml.ShouldContain("A code is 1 to 32 letters");
        badHtml.ShouldContain("is not an ISO 4217 currency code");
        badHtml.ShouldContain("is not a known time zone");
        badHtml.ShouldContain("Passwords must be at least 10 characters.");
        await using (var scope = app.CreateDbScope(out var db))
        {
            (await db.Users.CountAsync()).ShouldBe(0);
            (await db.Outlets.CountAsync()).ShouldBe(0);
        }

        var done = await EmptyProductionApp.PostSetupAsync(browser, "owner@pharmacy.test", "LDN-01");
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        new Uri(new Uri("http://localhost"), done.Headers.Location!).PathAndQuery.ShouldStartWith("/account/login?setup=done");

        await using (var scope = app.CreateDbScope(out var db))
        {
            var outlet = await db.Outlets.Include(o => o.TaxRates).SingleAsync();
            (outlet.Code, outlet.Currency, outlet.Culture, outlet.PricesIncludeTax).ShouldBe(("LDN-01", "GBP", "en-GB", true));
            outlet.TaxRates.Single().RatePercent.ShouldBe(20m);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = await users.FindByEmailAsync("owner@pharmacy.test");
            admin.ShouldNotBeNull();
            (await users.GetRolesAsync(admin)).ShouldBe([Roles.Admin]);
        }

        // The admin signs in and reaches the back-office.
        using var signedIn = app.CreateBrowserClient();
        var signIn = await BackOfficeAppFactory.SignInAsync(signedIn, "owner@pharmacy.test", "Setup-Passw0rd!");
        signIn.Headers.Location!.OriginalString.ShouldBe("/");
        (await signedIn.GetAsync("/admin/outlets")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Setup is gone: the page is a 404 and so is a second post, even with a token from before.
        (await browser.GetAsync("/setup")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var again = new FormUrlEncodedContent(EmptyProductionApp.SetupFields("whatever", "mallory@pharmacy.test", "MAL-01")))
            (await browser.PostAsync("/setup", again)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using (var scope = app.CreateDbScope(out var db))
        {
            (await db.Users.CountAsync()).ShouldBe(1);
            (await db.Outlets.CountAsync()).ShouldBe(1);
        }
    }
}

/// <summary>Two setups at once: the database lets one win; the other makes nothing.</summary>
public sealed class FirstRunRaceTests(EmptyProductionApp app) : IClassFixture<EmptyProductionApp>
{
    [Fact]
    public async Task Of_two_setups_at_once_only_one_makes_an_admin()
    {
        using var one = app.CreateBrowserClient();
        using var two = app.CreateBrowserClient();
        // Both have the form open (and its token) before either posts.
        var pageOne = Html.AntiforgeryToken(await (await one.GetAsync("/setup")).Content.ReadAsStringAsync());
        var pageTwo = Html.AntiforgeryToken(await (await two.GetAsync("/setup")).Content.ReadAsStringAsync());

        using var formOne = new FormUrlEncodedContent(EmptyProductionApp.SetupFields(pageOne, "one@pharmacy.test", "ONE-01"));
        using var formTwo = new FormUrlEncodedContent(EmptyProductionApp.SetupFields(pageTwo, "two@pharmacy.test", "TWO-01"));
        var answers = await Task.WhenAll(one.PostAsync("/setup", formOne), two.PostAsync("/setup", formTwo));

        answers.Count(a => a.StatusCode == HttpStatusCode.Redirect).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.NotFound).ShouldBe(1);
        await using var scope = app.CreateDbScope(out var db);
        (await db.Users.CountAsync()).ShouldBe(1);
        (await db.Outlets.CountAsync()).ShouldBe(1);
        (await db.FirstRuns.CountAsync()).ShouldBe(1);
    }
}
