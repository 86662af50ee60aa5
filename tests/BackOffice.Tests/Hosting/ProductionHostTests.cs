using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.Tests.Hosting;

/// <summary>The app as deployed: Production, HTTPS on 443, a TLS proxy at 10.0.0.5.</summary>
public sealed class ProductionApp : BackOfficeAppFactory
{
    public const string Proxy = "10.0.0.5";

    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("https_port", "443");
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
        builder.UseTestPeerAddresses();
        // An admin exists, as after the first-run setup (tests/…/Setup covers the empty database, where every page leads to /setup).
        builder.UseSetting("Seed:Enabled", "true");
        builder.UseSetting("Seed:AdminEmail", "admin@production.test");
        builder.UseSetting("Seed:AdminPassword", TestPassword);
    }

    /// <summary>A browser reaching the app through the proxy over HTTPS, at a name that is not localhost (HSTS skips localhost).</summary>
    public HttpClient ThroughTheProxy()
    {
        var client = CreateBrowserClient().From(Proxy);
        client.BaseAddress = new Uri("http://backoffice.example/");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }
}

/// <summary>Outside Development: HSTS, HTTPS redirection, and error pages that are pages (never a 500 nor a developer page).</summary>
public sealed class ProductionHostTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        using var client = app.CreateBrowserClient().From("198.51.100.1");
        client.BaseAddress = new Uri("http://backoffice.example/");
        var response = await client.GetAsync("/account/login?returnUrl=%2F");

        response.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.ToString().ShouldBe("https://backoffice.example/account/login?returnUrl=%2F");
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS is only sent over HTTPS");
    }

    [Fact]
    public async Task Health_probes_over_plain_http_are_answered()
    {
        using var client = app.CreateClient();
        (await client.GetAsync("http://backoffice.example/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_over_plain_http_are_not_redirected()
    {
        using var client = app.CreateClient();
        // TestServer has no remote address: not loopback, so the scrape is refused (404) rather than redirected (307).
        (await client.GetAsync("http://backoffice.example/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Https_through_the_proxy_is_served_with_HSTS()
    {
        using var client = app.ThroughTheProxy();
        var response = await client.GetAsync("/account/login");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldStartWith("max-age=");
    }

    [Fact]
    public async Task Https_from_a_peer_that_is_not_the_proxy_is_not_believed()
    {
        using var client = app.CreateBrowserClient().From("198.51.100.2");
        client.BaseAddress = new Uri("http://backoffice.example/");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        (await client.GetAsync("/account/login")).StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
    }

    [Fact]
    public async Task A_sign_in_post_without_its_antiforgery_token_is_a_400_page()
    {
        using var client = app.ThroughTheProxy();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@b.test", ["Password"] = "x", ["ReturnUrl"] = "/" });
        var response = await client.PostAsync("/account/login", form);

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        html.ShouldContain("Bad request");
    }

    [Fact]
    public async Task A_sign_in_post_that_cannot_be_read_is_a_400_page()
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        using var client = app.CreateBrowserClient().From(ProductionApp.Proxy);
        client.BaseAddress = new Uri("https://backoffice.example/");
        var page = await client.GetAsync("/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            ["Email"] = email, ["Password"] = BackOfficeAppFactory.TestPassword, ["ReturnUrl"] = "/\n/example.org", ["RememberMe"] = "perhaps",
        });
        var response = await client.PostAsync("/account/login", form);

        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        html.ShouldContain("Bad request");
    }

    [Theory]
    [InlineData("/error/404", HttpStatusCode.NotFound)]
    [InlineData("/error/500", HttpStatusCode.InternalServerError)]
    [InlineData("/nowhere", HttpStatusCode.NotFound)]
    public async Task Error_pages_answer_with_their_code(string path, HttpStatusCode status)
    {
        using var client = app.ThroughTheProxy();
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }
}
