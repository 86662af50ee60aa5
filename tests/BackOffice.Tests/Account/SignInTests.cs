using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Account;

/// <summary>The real app over HTTP with the demo data: health, sign-in, who may see the back-office.</summary>
public sealed class SignInTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task Health_answers_200()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/healthz");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("healthy");
    }

    [Fact]
    public async Task Anonymous_browser_is_sent_to_the_login_page()
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.AbsolutePath.ShouldBe("/account/login");
        location.Query.ShouldContain("ReturnUrl=%2F");
    }

    [Fact]
    public async Task Anonymous_script_gets_401_not_a_redirect()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_page_has_the_form_and_its_antiforgery_token()
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync("/account/login?returnUrl=%2F");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"login-form\"");
        Html.AntiforgeryToken(html).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Login_page_keeps_the_return_url_of_the_redirect_that_sent_the_browser_there()
    {
        using var client = app.CreateBrowserClient();
        var redirect = (await client.GetAsync("/account/cashier")).Headers.Location!;
        redirect.Query.ShouldContain("ReturnUrl=%2Faccount%2Fcashier");
        var html = await client.GetStringAsync(redirect.PathAndQuery);
        html.ShouldContain("name=\"ReturnUrl\" value=\"/account/cashier\"");
    }

    [Fact]
    public async Task Admin_sees_the_dashboard_with_figures()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"total-stock-value\"");
        html.ShouldContain("data-testid=\"outlet-figures\"");
        html.ShouldContain("LDN-01");
        html.ShouldContain("data-testid=\"signed-in-user\"");
    }

    [Fact]
    public async Task Manager_sees_the_dashboard()
    {
        using var client = await app.ManagerClientAsync();
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"total-stock-value\"");
    }

    [Fact]
    public async Task Cashier_gets_403_on_the_back_office_with_a_way_to_the_till()
    {
        using var client = await app.CashierClientAsync();
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"forbidden\"");
        html.ShouldContain("till", Case.Insensitive);
        html.ShouldContain("href=\"/till/\"");
        html.ShouldNotContain("total-stock-value");
    }

    [Fact]
    public async Task Cashier_who_signs_in_is_sent_to_the_till_page()
    {
        var email = await app.EnsureUserAsync(Roles.Cashier);
        using var client = app.CreateBrowserClient();
        var response = await BackOfficeAppFactory.SignInAsync(client, email, BackOfficeAppFactory.TestPassword);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/account/cashier");

        var landing = await client.GetAsync("/account/cashier");
        landing.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await landing.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"cashier-landing\"");
        html.ShouldContain("data-testid=\"go-to-till\"");
    }

    [Fact]
    public async Task Wrong_password_goes_back_to_the_login_page_with_an_error()
    {
        var email = await app.EnsureUserAsync(Roles.Manager);
        using var client = app.CreateBrowserClient();
        var response = await BackOfficeAppFactory.SignInAsync(client, email, "not-the-password", returnUrl: "/");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/account/login?");
        location.ShouldContain("error=invalid");

        var page = await client.GetAsync(location);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"login-error\"");
        html.ShouldContain("Email or password is not right.");
        html.ShouldContain(email); // the email is kept in the form

        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "a failed sign-in signs nobody in");
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_error_as_a_wrong_password()
    {
        using var client = app.CreateBrowserClient();
        var response = await BackOfficeAppFactory.SignInAsync(client, "nobody@tests.local", "whatever-password");
        response.Headers.Location!.OriginalString.ShouldContain("error=invalid");
    }

    [Fact]
    public async Task Sign_in_returns_to_a_local_return_url_only()
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var local = app.CreateBrowserClient();
        (await BackOfficeAppFactory.SignInAsync(local, email, BackOfficeAppFactory.TestPassword, returnUrl: "/not-found"))
            .Headers.Location!.OriginalString.ShouldBe("/not-found");

        using var foreign = app.CreateBrowserClient();
        (await BackOfficeAppFactory.SignInAsync(foreign, email, BackOfficeAppFactory.TestPassword, returnUrl: "//evil.example/"))
            .Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task Login_without_the_antiforgery_token_is_refused()
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var client = app.CreateBrowserClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = BackOfficeAppFactory.TestPassword, ["ReturnUrl"] = "/",
        });
        var response = await client.PostAsync("/account/login", form);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var client = await app.AdminClientAsync();
        var page = await client.GetAsync("/");
        var token = Html.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var response = await client.PostAsync("/account/logout", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/account/login");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_app_runs_on_the_tests_own_database_with_the_demo_data()
    {
        await using var scope = app.CreateDbScope(out var db);
        db.Database.GetConnectionString()!.ShouldContain(app.DatabaseName);
        (await db.Outlets.CountAsync()).ShouldBe(3);
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
    }
}
