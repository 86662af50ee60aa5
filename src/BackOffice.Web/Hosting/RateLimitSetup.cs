using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Hosting;

/// <summary>A fixed window: how many permits one partition (a credential, an address, an account) gets per window.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }

    public WindowLimit() { }

    public WindowLimit(int permitLimit, int windowSeconds) => (PermitLimit, WindowSeconds) = (permitLimit, windowSeconds);

    /// <summary>No queue: a request over the limit is answered at once, never held.</summary>
    public FixedWindowRateLimiterOptions Options() => new()
    {
        PermitLimit = PermitLimit,
        Window = TimeSpan.FromSeconds(WindowSeconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>`RateLimits:*`: each limit and its default (README, configuration).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in posts from one client address, successful or not: checked before anything else.</summary>
    public WindowLimit SignInPerAddress { get; set; } = new(10, 60);
    /// <summary>Failed sign-ins of one account from one address: what keeps someone from guessing one password.</summary>
    public WindowLimit SignInPerAccountAndAddress { get; set; } = new(5, 900);
    /// <summary>Failed sign-ins of one account from every address together: what bounds guessing from many addresses.</summary>
    public WindowLimit SignInPerAccount { get; set; } = new(50, 900);
    /// <summary>/api/till calls of one till token.</summary>
    public WindowLimit TillApi { get; set; } = new(600, 60);
    /// <summary>Integration API calls of one API key.</summary>
    public WindowLimit IntegrationApi { get; set; } = new(600, 60);
}

public static class RateLimitPolicies
{
    /// <summary>The till and integration routes: partitioned by the credential the call authenticated with.</summary>
    public const string Api = "api";
}

public static class RateLimitSetup
{
    public static void AddBackOfficeRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.Section));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, CredentialRateLimitPolicy>(RateLimitPolicies.Api);
        });
    }

    /// <summary>How long a refused caller should wait, in whole seconds (at least one), for Retry-After.</summary>
    public static int RetryAfterSeconds(this RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

    /// <summary>
    /// The partition of a client address. IPv6 clients are taken by their /64, which one subscriber usually holds whole:
    /// per /128 one client could use as many partitions as it likes.
    /// </summary>
    public static string ClientAddress(this HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>
/// The API's limit per credential: a till by its id, an API key by its id. It runs after authorization, which has set the
/// user of the route's bearer scheme; calls that did not authenticate were answered 401 before reaching it.
/// </summary>
internal sealed class CredentialRateLimitPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public RateLimitPartition<string> GetPartition(HttpContext http)
    {
        var limits = options.Value;
        if (http.User.FindFirst(ApiClaims.TillId)?.Value is { } till)
            return RateLimitPartition.GetFixedWindowLimiter("till:" + till, _ => limits.TillApi.Options());
        if (http.User.FindFirst(ApiClaims.ApiKeyId)?.Value is { } key)
            return RateLimitPartition.GetFixedWindowLimiter("key:" + key, _ => limits.IntegrationApi.Options());
        return RateLimitPartition.GetNoLimiter("none");
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var seconds = context.Lease.RetryAfterSeconds();
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests for this credential.",
            detail: $"Try again in {seconds} s.").ExecuteAsync(context.HttpContext);
    };
}
