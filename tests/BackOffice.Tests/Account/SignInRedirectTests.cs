using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;

namespace BackOffice.Tests.Account;

/// <summary>After signing in, the browser goes back where it came from only if that is a path on this site.</summary>
public sealed class SignInRedirectTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Theory]
    [InlineData("/\t/example.org")] // browsers drop the tab and read //example.org
    [InlineData("/\n/example.org")] // a line break in Location was a 500
    [InlineData("/\r\n/example.org")]
    [InlineData("//example.org")]
    [InlineData("//example.org/till/")]
    [InlineData("/\\example.org")]
    [InlineData("\\\\example.org")]
    [InlineData("https://example.org")]
    [InlineData("http:/example.org")]
    [InlineData("javascript:alert(1)")]
    [InlineData(" /reports")]
    [InlineData("")]
    public async Task A_return_url_that_is_not_a_local_path_lands_on_the_dashboard(string returnUrl)
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var client = app.CreateBrowserClient();

        var response = await BackOfficeAppFactory.SignInAsync(client, email, BackOfficeAppFactory.TestPassword, returnUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Theory]
    [InlineData("/reports/stock")]
    [InlineData("/products?search=para%20500")]
    [InlineData("/")]
    public async Task A_local_path_is_where_the_browser_goes(string returnUrl)
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var client = app.CreateBrowserClient();

        var response = await BackOfficeAppFactory.SignInAsync(client, email, BackOfficeAppFactory.TestPassword, returnUrl);

        response.Headers.Location!.OriginalString.ShouldBe(returnUrl);
    }

    [Fact]
    public async Task A_failed_sign_in_keeps_only_a_local_return_url_for_the_next_try()
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var client = app.CreateBrowserClient();

        var response = await BackOfficeAppFactory.SignInAsync(client, email, "not-the-password", "/\n/example.org");

        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/account/login?error=invalid");
        location.ShouldEndWith("returnUrl=%2F");
    }

    [Theory]
    [InlineData("%0A%2F%2Fexample.org")]
    [InlineData("%2F%09%2Fexample.org")]
    [InlineData("%ZZ")]
    public async Task The_login_page_renders_whatever_the_return_url_it_is_given(string query)
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync("/account/login?returnUrl=" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
