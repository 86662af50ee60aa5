using System.Net;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BackOffice.Web.Operations;

/// <summary>
/// OpenTelemetry: the product's meter (<see cref="BackOfficeTelemetry"/>) and ASP.NET Core's request metrics, scraped by
/// Prometheus at /metrics from loopback and <c>Metrics:AllowedNetworks</c> only; traces and everything else also go to
/// an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        // Parsed at start-up: a mistyped network fails the start, not every scrape.
        builder.Services.AddSingleton(new MetricsAccess(MetricsAccess.ParseNetworks(builder.Configuration.GetSection("Metrics:AllowedNetworks"))));

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : BackOfficeTelemetry.Name))
            .WithMetrics(m => m
                .AddMeter(BackOfficeTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                // Routes x methods x status codes: past OpenTelemetry's default 2,000 series a new route's requests would
                // fall into the overflow series and vanish from its own.
                .AddView("http.server.request.duration", new MetricStreamConfiguration { CardinalityLimit = 10_000 })
                .AddPrometheusExporter());

        // Without a collector there is nobody to send spans to: tracing stays off and the stock writes' activities cost nothing.
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
            otel.WithTracing(t => t
                    .AddSource(BackOfficeTelemetry.Name)
                    // Query strings are redacted by the instrumentation (the hub's access_token is a till token).
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                        !ctx.Request.Path.StartsWithSegments(MetricsPath) && !ctx.Request.Path.StartsWithSegments("/healthz")))
                .UseOtlpExporter();
    }

    /// <summary>GET /metrics: Prometheus text, to loopback and the allowed networks; anyone else gets the 404 of a route that does not exist.</summary>
    public static void MapMetrics(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((ctx, next) =>
        {
            if (access.Allows(ctx.Connection.RemoteIpAddress)) return next(ctx);
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null).AllowAnonymous();
    }
}

/// <summary>Who may scrape /metrics: loopback, and the networks of <c>Metrics:AllowedNetworks</c> (CIDR, e.g. <c>10.0.0.0/8</c>).</summary>
public sealed class MetricsAccess(IReadOnlyList<IPNetwork> allowedNetworks)
{
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; } = allowedNetworks;

    public bool Allows(IPAddress? remote) => IsAllowed(remote, AllowedNetworks);

    /// <summary>
    /// True for a loopback address or one inside an allowed network. An unknown peer (no address) is refused: it is not
    /// known to be local. An IPv4 address seen as IPv6 (<c>::ffff:10.1.2.3</c>, a dual-stack socket) is compared as IPv4.
    /// </summary>
    public static bool IsAllowed(IPAddress? remote, IReadOnlyList<IPNetwork> allowedNetworks)
    {
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (IPAddress.IsLoopback(remote)) return true;
        foreach (var network in allowedNetworks)
            if (network.Contains(remote)) return true;
        return false;
    }

    /// <summary>
    /// The networks of a configuration value: a list (<c>Metrics:AllowedNetworks:0</c>, …) or one string separated by commas,
    /// semicolons or spaces (<c>Metrics__AllowedNetworks="10.0.0.0/8, 192.168.1.0/24"</c>); an address alone is that address.
    /// </summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(IConfigurationSection section)
    {
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return ParseNetworks(values.OfType<string>());
    }

    public static IReadOnlyList<IPNetwork> ParseNetworks(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Select(ParseNetwork).ToList();

    public static IPNetwork ParseNetwork(string text)
    {
        if (!text.Contains('/') && IPAddress.TryParse(text, out var address))
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        if (IPNetwork.TryParse(text, out var network)) return network;
        throw new InvalidOperationException(
            $"Metrics:AllowedNetworks: '{text}' is not a network in CIDR notation (such as 10.0.0.0/8) or an address.");
    }
}
