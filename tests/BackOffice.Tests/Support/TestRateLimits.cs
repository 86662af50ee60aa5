using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Support;

public static class TestRateLimits
{
    /// <summary>
    /// Tests sign in and call the API far more often than people and tills do, all from one (empty) client address: the
    /// app under test gets limits they never meet. The limits themselves are tested with their own settings
    /// (Account/SignInLimitTests, Hosting/ApiRateLimitTests).
    /// </summary>
    public static IWebHostBuilder UseLimitsTestsDoNotMeet(this IWebHostBuilder builder) => builder
        .UseSetting("RateLimits:SignInPerAddress:PermitLimit", "1000000")
        .UseSetting("RateLimits:SignInPerAccountAndAddress:PermitLimit", "1000000")
        .UseSetting("RateLimits:SignInPerAccount:PermitLimit", "1000000")
        .UseSetting("RateLimits:TillApi:PermitLimit", "1000000")
        .UseSetting("RateLimits:IntegrationApi:PermitLimit", "1000000");

    public static IWebHostBuilder UseSettings(this IWebHostBuilder builder, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        return builder;
    }
}

/// <summary>
/// The test server has no TCP peer. With this, a request's <see cref="Header"/> says which address it comes from, as the
/// connection's remote address (before the app's forwarded-headers middleware, as a real peer is).
/// </summary>
public sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (http.Request.Headers.TryGetValue(Header, out var peer)) http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return nextMiddleware(http);
        });
        next(app);
    };
}

public static class TestPeers
{
    public static IWebHostBuilder UseTestPeerAddresses(this IWebHostBuilder builder) =>
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestPeerAddress>());

    /// <summary>Makes every request of the client come from <paramref name="address"/>.</summary>
    public static HttpClient From(this HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Remove(TestPeerAddress.Header);
        client.DefaultRequestHeaders.Add(TestPeerAddress.Header, address);
        return client;
    }
}
