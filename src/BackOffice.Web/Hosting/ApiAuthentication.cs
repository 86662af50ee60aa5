using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using BackOffice.Core.Tills;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Hosting;

/// <summary>The authentication schemes of machines: tills and integrations, each with a bearer secret of its own kind.</summary>
public static class ApiSchemes
{
    public const string Till = "TillToken";
    public const string ApiKey = "ApiKey";
}

public static class ApiPolicies
{
    /// <summary>/api/till/*: a till token and nothing else (an API key or a person's cookie is 401).</summary>
    public const string Till = "TillApi";
    /// <summary>/api/products, /api/receipts, /api/stock: an API key and nothing else.</summary>
    public const string Integration = "IntegrationApi";
    /// <summary>/hubs/stock: a till token, or a manager's or admin's cookie.</summary>
    public const string StockHub = "StockHub";

    /// <summary>An API key with this scope (beside <see cref="Integration"/>): 403 with problem details without it.</summary>
    public static string Scope(ApiKeyScopes scope) => "ApiKeyScope:" + ApiKeyScope.NameOf(scope);
}

public static class ApiClaims
{
    public const string TillId = "backoffice:till_id";
    public const string OutletId = "backoffice:outlet_id";
    public const string OutletCode = "backoffice:outlet_code";
    public const string OutletName = "backoffice:outlet_name";
    public const string OutletTimeZone = "backoffice:outlet_tz";
    public const string ApiKeyId = "backoffice:api_key_id";
    /// <summary>A scope of the API key (<see cref="ApiKeyScope"/> names), one claim each.</summary>
    public const string Scope = "backoffice:scope";
    /// <summary>An outlet code the API key is limited to, one claim each; none = every outlet.</summary>
    public const string Outlet = "backoffice:outlet";
    /// <summary>The hash of the token a till connected with: a re-issued or revoked token closes its hub connections.</summary>
    public const string TokenHash = "backoffice:token_hash";

    public static int Int(this ClaimsPrincipal user, string type) => int.Parse(user.FindFirstValue(type)!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether an API key may receive at or read the stock of this outlet (exact code, as the routes match it).</summary>
    public static bool MayUseOutlet(this ClaimsPrincipal user, string outletCode)
    {
        var outlets = user.FindAll(Outlet).ToList();
        return outlets.Count == 0 || outlets.Any(c => c.Value == outletCode);
    }
}

public static class ApiAuthenticationSetup
{
    public static void AddApiAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CredentialUse>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiForbiddenAnswer>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TillTokenHandler>(ApiSchemes.Till, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiSchemes.ApiKey, null);
        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Till, p => p.AddAuthenticationSchemes(ApiSchemes.Till).RequireClaim(ApiClaims.TillId))
            .AddPolicy(ApiPolicies.Integration, p => p.AddAuthenticationSchemes(ApiSchemes.ApiKey).RequireClaim(ApiClaims.ApiKeyId))
            .AddPolicy(ApiPolicies.StockHub, p => p.AddAuthenticationSchemes(ApiSchemes.Till, IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(x => x.Type == ApiClaims.TillId) || c.User.IsInRole(Roles.Admin) || c.User.IsInRole(Roles.Manager)));
        // One policy per scope, from the one list of scopes: a scope added there is enforceable at once.
        foreach (var (scope, name, _) in ApiKeyScope.Each)
            authorization.AddPolicy(ApiPolicies.Scope(scope), p => p.AddAuthenticationSchemes(ApiSchemes.ApiKey).RequireClaim(ApiClaims.Scope, name));
    }
}

/// <summary>
/// "Last seen" of tills and "last used" of API keys, written at most once a minute per credential and server, so that
/// a busy till does not turn every request into a write (on SQLite every write queues behind the sales).
/// </summary>
public sealed class CredentialUse(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new();

    private readonly ConcurrentDictionary<int, int> _pending = new();

    /// <summary>
    /// Last seen, and what the device says it still holds (<c>X-Till-Pending</c>): written when the count changes, else at
    /// most once a minute, so that a manager revoking a till knows how many sales its device was last known to hold.
    /// </summary>
    public async Task TouchTillAsync(BackOfficeDb db, int tillId, int? pending, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changed = pending is { } p && (!_pending.TryGetValue(tillId, out var last) || last != p);
        if (!Due("till:" + tillId, now) && !changed) return;
        // Through the stock-write gate: on a busy SQLite file a write outside it could wait behind the tills' sales for long.
        await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            var at = now.UtcDateTime;
            if (pending is { } n)
                await db.Tills.Where(t => t.Id == tillId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastSeenAt, at)
                    .SetProperty(t => t.PendingOnDevice, n).SetProperty(t => t.PendingReportedAt, at), c);
            else
                await db.Tills.Where(t => t.Id == tillId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastSeenAt, at), c);
            await tx.CommitAsync(c);
            return true;
        }, ct);
        if (pending is { } value) _pending[tillId] = value;
    }

    public async Task TouchApiKeyAsync(BackOfficeDb db, int keyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!Due("key:" + keyId, now)) return;
        await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now.UtcDateTime), c);
            await tx.CommitAsync(c);
            return true;
        }, ct);
    }

    /// <summary>True for exactly one caller per credential and interval, even with many requests at once.</summary>
    private bool Due(string key, DateTimeOffset now)
    {
        while (true)
        {
            if (!_written.TryGetValue(key, out var last))
            {
                if (_written.TryAdd(key, now)) return true;
                continue;
            }
            if (now - last < Interval) return false;
            if (_written.TryUpdate(key, now, last)) return true;
        }
    }
}

/// <summary>Common to both bearer schemes: reading the secret, answering 401 with problem details on the API.</summary>
public abstract class BearerSecretHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected string? BearerSecret()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim() is { Length: > 0 } s ? s : null;
        // Browsers cannot set headers on WebSockets (or server-sent events): the SignalR client sends the token as access_token.
        if (Request.Path.StartsWithSegments("/hubs") && Request.Query["access_token"].ToString() is { Length: > 0 } q) return q;
        return null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        // Only the API routes have a single scheme; on the hub the cookie scheme challenges as well and must still set headers.
        if (Request.Path.StartsWithSegments("/api") && !Response.HasStarted)
            await Results.Problem(statusCode: 401, title: "A valid bearer credential is required.",
                detail: (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? AuthenticationFailure)
                .ExecuteAsync(Context);
    }

    protected abstract string AuthenticationFailure { get; }
}

/// <summary>Till tokens: `Authorization: Bearer &lt;token&gt;` (or access_token on the hub), looked up by their SHA-256.</summary>
public sealed class TillTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    BackOfficeDb db, CredentialUse use) : BearerSecretHandler(options, logger, encoder)
{
    protected override string AuthenticationFailure => "This route takes a till token.";

    /// <summary>The till's own count of sales and returns not yet taken by the server, when it sends one.</summary>
    private int? PendingOnDevice() =>
        int.TryParse(Request.Headers["X-Till-Pending"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? Math.Min(n, 1_000_000) : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerSecret() is not { } token) return AuthenticateResult.NoResult();
        var hash = Secrets.Hash(token);
        var till = await db.Tills.AsNoTracking().Where(t => t.TokenHash == hash)
            .Join(db.Outlets, t => t.OutletId, o => o.Id, (t, o) => new { t.Id, t.Name, t.TokenHash, t.RevokedAt, t.OutletId, o.Code, OutletName = o.Name, o.TimeZoneId })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (till is null || !Secrets.Matches(token, till.TokenHash)) return AuthenticateResult.Fail("Unknown till token.");
        if (till.RevokedAt is not null) return AuthenticateResult.Fail("This till token was revoked.");
        await use.TouchTillAsync(db, till.Id, PendingOnDevice(), Context.RequestAborted);

        var id = till.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "till:" + id),
            new Claim(ClaimTypes.Name, till.Name),
            new Claim(ApiClaims.TillId, id),
            new Claim(ApiClaims.OutletId, till.OutletId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ApiClaims.OutletCode, till.Code),
            new Claim(ApiClaims.OutletName, till.OutletName),
            new Claim(ApiClaims.OutletTimeZone, till.TimeZoneId),
            new Claim(ApiClaims.TokenHash, till.TokenHash),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>Integration API keys: `Authorization: Bearer &lt;key&gt;`, looked up by their SHA-256.</summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    BackOfficeDb db, CredentialUse use) : BearerSecretHandler(options, logger, encoder)
{
    protected override string AuthenticationFailure => "This route takes an API key.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerSecret() is not { } secret) return AuthenticateResult.NoResult();
        var hash = Secrets.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash)
            .Select(k => new { k.Id, k.Name, k.KeyHash, k.RevokedAt, k.Scopes, Outlets = k.Outlets.Join(db.Outlets, a => a.OutletId, o => o.Id, (a, o) => o.Code).ToList() })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (key is null || !Secrets.Matches(secret, key.KeyHash)) return AuthenticateResult.Fail("Unknown API key.");
        if (key.RevokedAt is not null) return AuthenticateResult.Fail("This API key was revoked.");
        await use.TouchApiKeyAsync(db, key.Id, Context.RequestAborted);

        var id = key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "apikey:" + id),
            new Claim(ClaimTypes.Name, "api:" + key.Name),
            new Claim(ApiClaims.ApiKeyId, id),
            .. ApiKeyScope.Names(key.Scopes).Select(s => new Claim(ApiClaims.Scope, s)),
            .. key.Outlets.Select(code => new Claim(ApiClaims.Outlet, code)),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>
/// A credential that is valid but may not do what it asks (an API key without the route's scope) gets 403 with problem
/// details on the API saying which scope is missing; everything else is answered as the framework does.
/// </summary>
public sealed class ApiForbiddenAnswer : Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler
{
    private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, Microsoft.AspNetCore.Authorization.AuthorizationPolicy policy,
        Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.Request.Path.StartsWithSegments("/api") && !context.Response.HasStarted)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements
                .OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
                .Where(r => r.ClaimType == ApiClaims.Scope).SelectMany(r => r.AllowedValues ?? []).FirstOrDefault();
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This credential may not do this.",
                detail: missing is null ? null : $"The API key lacks the '{missing}' scope: an admin gives it on the API keys page.")
                .ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
