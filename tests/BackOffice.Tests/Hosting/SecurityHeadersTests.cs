using System.Net;
using System.Text.RegularExpressions;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using BackOffice.Web.Hosting;

namespace BackOffice.Tests.Hosting;

/// <summary>Every response's security headers, the two Content-Security-Policies, HEAD, and error pages that are never a 500 by accident.</summary>
public sealed partial class SecurityHeadersTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)] // a page
    [InlineData("/", HttpStatusCode.Redirect)] // to sign in
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/nowhere", HttpStatusCode.NotFound)] // the status page
    [InlineData("/error/500", HttpStatusCode.InternalServerError)]
    [InlineData("/api/till/me", HttpStatusCode.Unauthorized)] // problem details
    [InlineData("/till/", HttpStatusCode.OK)] // the till's static files
    [InlineData("/till/js/app.js", HttpStatusCode.OK)]
    [InlineData("/till/lib/signalr/signalr.min.js", HttpStatusCode.OK)]
    [InlineData("/till/nowhere.js", HttpStatusCode.NotFound)]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", HttpStatusCode.OK)] // the back-office's static assets
    public async Task Every_response_says_nosniff_same_origin_referrer_and_no_framing(string path, HttpStatusCode status)
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        ShouldHaveSecurityHeaders(response);
    }

    [Fact]
    public async Task Api_answers_carry_the_headers_too()
    {
        using var client = app.BearerClient(await TillTokenAsync());
        var response = await client.GetAsync("/api/till/me");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        ShouldHaveSecurityHeaders(response);
    }

    [Fact]
    public async Task Back_office_pages_allow_scripts_from_the_site_and_the_nonce_only()
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();
        var policy = Directives(response);

        policy["script-src"].ShouldNotContain("'unsafe-inline'");
        policy["script-src"].ShouldNotContain("'unsafe-eval'");
        policy["script-src"].ShouldContain("'self'");
        policy["style-src"].ShouldContain("'unsafe-inline'"); // Blazor and MudBlazor set styles inline
        policy["object-src"].ShouldBe("'none'");
        policy["base-uri"].ShouldBe("'self'");
        policy["form-action"].ShouldBe("'self'");
        policy["frame-ancestors"].ShouldBe("'none'");
        var nonce = NonceSource().Match(policy["script-src"]).Groups[1].Value;
        nonce.ShouldNotBeNullOrEmpty();
        foreach (Match script in ScriptTag().Matches(html))
            if (!script.Value.Contains(" src=")) WebUtility.HtmlDecode(script.Value).ShouldContain($"nonce=\"{nonce}\"", customMessage: "an inline script the policy would block");

        var again = Directives(await client.GetAsync("/account/login"));
        NonceSource().Match(again["script-src"]).Groups[1].Value.ShouldNotBe(nonce, "a nonce is used once");
    }

    [Fact]
    public async Task The_till_runs_under_its_own_policy_without_anything_inline()
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync("/till/");
        var html = await response.Content.ReadAsStringAsync();

        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecuritySetup.TillPolicy);
        var policy = Directives(response);
        policy["script-src"].ShouldBe("'self'");
        policy["style-src"].ShouldBe("'self'");
        policy["connect-src"].ShouldBe("'self'"); // the API and the hub's WebSocket
        policy["worker-src"].ShouldBe("'self'");
        policy["frame-ancestors"].ShouldBe("'none'");
        foreach (Match script in ScriptTag().Matches(html)) script.Value.ShouldContain(" src=");
        html.ShouldNotContain("<style");
        html.ShouldNotContain(" style=");
        html.ShouldNotContain(" onclick=");
    }

    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.Redirect)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/till/", HttpStatusCode.OK)]
    [InlineData("/nowhere", HttpStatusCode.NotFound)]
    public async Task HEAD_is_answered_as_GET_is_without_a_body(string path, HttpStatusCode status)
    {
        using var client = app.CreateBrowserClient();
        var get = await client.GetAsync(path);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.ShouldBe(status);
        head.StatusCode.ShouldBe(get.StatusCode);
        head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType);
        head.Headers.Location.ShouldBe(get.Headers.Location);
        (await head.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        ShouldHaveSecurityHeaders(head);
    }

    [Theory]
    [InlineData("/error/404", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("/error/400", HttpStatusCode.BadRequest, "Bad request")]
    [InlineData("/error/429", HttpStatusCode.TooManyRequests, "Too many requests")]
    [InlineData("/error/500", HttpStatusCode.InternalServerError, "Something went wrong")]
    [InlineData("/error/abc", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("/error/99999", HttpStatusCode.NotFound, "Page not found")]
    public async Task Error_pages_answer_with_their_own_code(string path, HttpStatusCode status, string title)
    {
        using var client = app.CreateBrowserClient();
        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        (await response.Content.ReadAsStringAsync()).ShouldContain(title);
    }

    [Fact]
    public async Task The_error_page_gives_a_reference_to_quote_and_no_detail()
    {
        using var client = app.CreateBrowserClient();
        var html = await (await client.GetAsync("/error/500")).Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"request-id\"");
        html.ShouldNotContain("Exception");
    }

    private static void ShouldHaveSecurityHeaders(HttpResponseMessage response)
    {
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "Referrer-Policy").ShouldBe("same-origin");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Directives(response)["frame-ancestors"].ShouldBe("'none'");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new ShouldAssertException($"no {name} header on {response.RequestMessage?.RequestUri}");

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    private async Task<string> TillTokenAsync()
    {
        await using var scope = app.CreateDbScope(out var db);
        var outlet = Make.Outlet();
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        var token = Secrets.NewToken("till");
        db.Tills.Add(Make.Till(outlet.Id, Secrets.Hash(token)));
        await db.SaveChangesAsync();
        return token;
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
