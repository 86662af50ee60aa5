using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace BackOffice.Tests.Operations;

/// <summary>The app with OTEL_EXPORTER_OTLP_ENDPOINT set (a closed loopback port: nothing listens, exports fail quietly).</summary>
public sealed class OtlpApp : BackOfficeAppFactory
{
    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
    }
}

/// <summary>Tracing exists only with a collector to send to; with one, the app starts and serves as before.</summary>
public sealed class OtlpExportTests(OtlpApp withCollector, BackOfficeAppWithoutDemoData without)
    : IClassFixture<OtlpApp>, IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Fact]
    public async Task Tracing_is_on_only_when_an_otlp_endpoint_is_set()
    {
        withCollector.Services.GetService<TracerProvider>().ShouldNotBeNull();
        without.Services.GetService<TracerProvider>().ShouldBeNull();

        using var client = withCollector.CreateClient();
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        using var key = withCollector.IntegrationClient();
        (await key.GetAsync("/api/stock/NO-SUCH-OUTLET")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
