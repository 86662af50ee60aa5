using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.Tests.Hosting;

/// <summary>The app behind a TLS proxy at 10.0.0.5 (and any at 10.1.0.0/16), 3 sign-in posts a minute per client address.</summary>
public sealed class ProxiedApp : BackOfficeAppFactory
{
    public const string Proxy = "10.0.0.5";
    public const string ProxyInNetwork = "10.1.2.3";
    public const int SignInsPerAddress = 3;

    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
        builder.UseSetting("ForwardedHeaders:KnownNetworks:0", "10.1.0.0/16");
        builder.UseSetting("RateLimits:SignInPerAddress:PermitLimit", SignInsPerAddress.ToString());
        builder.UseTestPeerAddresses();
    }
}

/// <summary>What the app takes from X-Forwarded-Proto and X-Forwarded-For: only what a configured proxy says.</summary>
public sealed class ForwardedHeadersTests(ProxiedApp app) : IClassFixture<ProxiedApp>
{
    [Theory]
    [InlineData(ProxiedApp.Proxy)]
    [InlineData(ProxiedApp.ProxyInNetwork)]
    public async Task Behind_a_configured_TLS_proxy_the_cookies_are_Secure(string proxy)
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        var browser = new ManualCookieBrowser(app, proxy, forwardedProto: "https", forwardedFor: "192.0.2.1");

        var page = await browser.GetAsync("/account/login");
        browser.SetCookie(page, ".AspNetCore.Antiforgery.").ShouldContain("secure", Case.Insensitive);
        var signIn = await browser.SignInAsync(page, email, BackOfficeAppFactory.TestPassword);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        browser.SetCookie(signIn, "backoffice.auth=").ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task An_unknown_peer_saying_https_is_not_believed()
    {
        var email = await app.EnsureUserAsync(Roles.Admin);
        var browser = new ManualCookieBrowser(app, "198.51.100.77", forwardedProto: "https", forwardedFor: "192.0.2.2");

        var page = await browser.GetAsync("/account/login");
        browser.SetCookie(page, ".AspNetCore.Antiforgery.").ShouldNotContain("secure", Case.Insensitive);
        var signIn = await browser.SignInAsync(page, email, BackOfficeAppFactory.TestPassword);
        browser.SetCookie(signIn, "backoffice.auth=").ShouldNotContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task The_sign_in_limit_counts_the_client_a_configured_proxy_names()
    {
        for (var i = 0; i < ProxiedApp.SignInsPerAddress; i++)
            (await Post(ProxiedApp.Proxy, "192.0.2.50", $"fwd{i}@limits.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Post(ProxiedApp.Proxy, "192.0.2.50", "fwd@limits.test")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // Another client behind the same proxy has a limit of its own.
        (await Post(ProxiedApp.Proxy, "192.0.2.51", "fwd@limits.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task An_unknown_peer_cannot_choose_its_client_address()
    {
        for (var i = 0; i < ProxiedApp.SignInsPerAddress; i++)
            (await Post("198.51.100.78", $"192.0.2.{60 + i}", $"spoof{i}@limits.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Post("198.51.100.78", "192.0.2.99", "spoof@limits.test")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private async Task<HttpResponseMessage> Post(string peer, string forwardedFor, string email)
    {
        using var client = app.CreateBrowserClient().From(peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return await BackOfficeAppFactory.SignInAsync(client, email, "not-the-password");
    }

    /// <summary>
    /// A browser that keeps cookies by hand: HttpClient's cookie container would not send Secure cookies back over the
    /// test server's plain http, which is what the proxy speaks to the app.
    /// </summary>
    private sealed class ManualCookieBrowser
    {
        private readonly HttpClient _client;
        private readonly Dictionary<string, string> _cookies = [];

        public ManualCookieBrowser(BackOfficeAppFactory app, string peer, string forwardedProto, string forwardedFor)
        {
            _client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }).From(peer);
            _client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
            _client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
            _client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public async Task<HttpResponseMessage> SignInAsync(HttpResponseMessage loginPage, string email, string password) =>
            await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Html.AntiforgeryToken(await loginPage.Content.ReadAsStringAsync()),
                    ["Email"] = email,
                    ["Password"] = password,
                    ["ReturnUrl"] = "/",
                }),
            });

        /// <summary>The Set-Cookie header of the cookie whose name starts with <paramref name="prefix"/>.</summary>
        public string SetCookie(HttpResponseMessage response, string prefix) =>
            response.Headers.TryGetValues("Set-Cookie", out var values) && values.FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal)) is { } cookie
                ? cookie : throw new ShouldAssertException($"no {prefix} cookie was set");

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await _client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
                foreach (var pair in values.Select(v => v.Split(';', 2)[0].Split('=', 2)))
                    _cookies[pair[0]] = pair[1];
            return response;
        }
    }
}
