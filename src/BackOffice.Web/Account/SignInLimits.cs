using System.Globalization;
using System.Threading.RateLimiting;
using BackOffice.Web.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Account;

/// <summary>
/// How often someone may try a password, in three limits and no account lockout:
/// <list type="number">
/// <item>sign-in posts per client address (the rate limiting middleware, before the form is even read);</item>
/// <item>failed sign-ins per account and address: one place guessing one account's password is stopped after a few;</item>
/// <item>failed sign-ins per account over every address: a bound on guessing from many places at once.</item>
/// </list>
/// An account is never locked as such: failures from an outsider's address do not stop the account's owner at hers,
/// until (3), which takes SignInPerAccount / SignInPerAccountAndAddress addresses (10 by default) to reach, and lasts
/// only its window. Unknown emails are limited exactly as accounts are, so the answers do not tell which exist.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    public const string AddressPolicy = "sign-in";

    private readonly PartitionedRateLimiter<Attempt> _perAccountAndAddress;
    private readonly PartitionedRateLimiter<Attempt> _perAccount;
    private readonly PartitionedRateLimiter<Attempt> _failures;

    public SignInLimits(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _perAccountAndAddress = PartitionedRateLimiter.Create<Attempt, (string, string)>(a =>
            RateLimitPartition.GetFixedWindowLimiter((a.Account, a.Address), _ => limits.SignInPerAccountAndAddress.Options()));
        _perAccount = PartitionedRateLimiter.Create<Attempt, string>(a =>
            RateLimitPartition.GetFixedWindowLimiter(a.Account, _ => limits.SignInPerAccount.Options()));
        _failures = PartitionedRateLimiter.CreateChained(_perAccountAndAddress, _perAccount);
    }

    /// <summary>An account (its normalized email, known or not) tried from a client address.</summary>
    public readonly record struct Attempt(string Account, string Address);

    /// <summary>Null when the account may be tried from this address now; otherwise the seconds to wait.</summary>
    public int? Refusal(Attempt attempt)
    {
        // Zero permits asks whether any are left without taking one: only failures are counted.
        using var lease = _failures.AttemptAcquire(attempt, 0);
        return lease.IsAcquired ? null : lease.RetryAfterSeconds();
    }

    public void CountFailure(Attempt attempt)
    {
        using var _ = _failures.AttemptAcquire(attempt, 1);
    }

    /// <summary>
    /// The answer over a limit: 429 with Retry-After and no body, which the status code pages answer with the page that
    /// says how long to wait (/error/429).
    /// </summary>
    public static IResult Refused(int retryAfterSeconds) => new RefusedResult(retryAfterSeconds);

    private sealed class RefusedResult(int retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            SetRefusal(httpContext, retryAfterSeconds);
            return Task.CompletedTask;
        }
    }

    public static void SetRefusal(HttpContext http, int retryAfterSeconds)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _failures.Dispose();
        _perAccountAndAddress.Dispose();
        _perAccount.Dispose();
    }
}

/// <summary>Limit 1: sign-in posts per client address, every post counted, before the handler runs.</summary>
internal sealed class SignInAddressPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public RateLimitPartition<string> GetPartition(HttpContext http) =>
        RateLimitPartition.GetFixedWindowLimiter(http.ClientAddress(), _ => options.Value.SignInPerAddress.Options());

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
    {
        SignInLimits.SetRefusal(context.HttpContext, context.Lease.RetryAfterSeconds());
        return ValueTask.CompletedTask;
    };
}
