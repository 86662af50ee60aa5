using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;

namespace BackOffice.Web.Hosting;

/// <summary>
/// What the host does for every response whatever the feature: the scheme and client address a TLS proxy saw, HSTS and
/// HTTPS redirection outside Development, the security headers (the back-office and the till each with its own
/// Content-Security-Policy), and HEAD answered wherever GET is.
/// </summary>
public static class SecuritySetup
{
    public static void AddBackOfficeSecurity(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders");
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // X-Forwarded-Host is left out: the host is what the proxy was asked for, and a client could otherwise choose it.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback stays trusted (a proxy on the same machine); only the configured proxies are added to it.
            foreach (var proxy in proxies.GetSection("KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.GetSection("KnownNetworks").Get<string[]>() ?? [])
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            if (proxies.GetValue<int?>("ForwardLimit") is { } limit) o.ForwardLimit = limit;
        });
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(180));
        // Secure whenever the request is HTTPS, as the browser or (through the forwarded headers) the proxy saw it.
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }

    /// <summary>The outermost middleware: nothing before it sees the proxy's address as the client's.</summary>
    public static void UseBackOfficeSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // Not /healthz nor /metrics: load balancers probe and Prometheus scrapes each server over plain HTTP, and a
            // redirect would read as "down".
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/healthz") && !http.Request.Path.StartsWithSegments(Operations.TelemetrySetup.MetricsPath),
                https => https.UseHttpsRedirection());
        }
        app.UseHeadAsGet();
    }

    /// <summary>
    /// Set when the response starts, so they are also on error pages (the exception handler clears the headers it finds)
    /// and on static files.
    /// </summary>
    public static void UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Hex: nothing in it that HTML would encode in the attribute.
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/till") ? TillPolicy : BackOfficePolicy(nonce);
            return Task.CompletedTask;
        });
        return next(http);
    });

    private static readonly object NonceKey = new();

    /// <summary>The nonce this response's policy allows an inline script with (the import map of the Blazor pages).</summary>
    public static string? ScriptNonce(this HttpContext http) => http.Items.TryGetValue(NonceKey, out var nonce) ? nonce as string : null;

    /// <summary>
    /// Blazor Server and MudBlazor set style attributes and style elements at run time, so styles may be inline; scripts
    /// come from this site only, plus the nonce'd import map. The circuit's WebSocket is 'self'. Images: the till setup
    /// QR code is a data: URI.
    /// </summary>
    public static string BackOfficePolicy(string nonce) =>
        "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The till is plain files: no inline script or style at all; the service worker and the hub are 'self'.</summary>
    public const string TillPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// HEAD is GET without the body (RFC 9110). Endpoints are mapped for GET only (the Razor pages, /healthz), so a HEAD
    /// is routed as a GET here and whatever it writes is dropped.
    /// </summary>
    public static void UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }
        var body = http.Response.Body;
        http.Request.Method = HttpMethods.Get;
        http.Response.Body = Stream.Null;
        try
        {
            await next(http);
        }
        finally
        {
            http.Request.Method = HttpMethods.Head;
            http.Response.Body = body;
        }
    });
}
