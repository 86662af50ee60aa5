using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using BackOffice.Core.Data;
using BackOffice.Tests.Support;
using BackOffice.Web.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Operations;

/// <summary>
/// The app with <c>Metrics:AllowedNetworks</c> set, where a test may say which address a request comes from: the
/// in-memory test server leaves <c>RemoteIpAddress</c> null, so a startup filter sets it from a test-only header.
/// </summary>
public sealed class MetricsApp : BackOfficeAppFactory
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";
    public const string AllowedNetwork = "10.20.0.0/16";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Metrics:AllowedNetworks", AllowedNetwork + ", 192.168.7.7");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }

    public HttpClient ClientFrom(string? address)
    {
        var client = CreateClient();
        if (address is not null) client.DefaultRequestHeaders.Add(RemoteAddressHeader, address);
        return client;
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, n) =>
            {
                if (IPAddress.TryParse(ctx.Request.Headers[RemoteAddressHeader].ToString(), out var address)) ctx.Connection.RemoteIpAddress = address;
                return n(ctx);
            });
            next(app);
        };
    }
}

/// <summary>GET /metrics: Prometheus text with the product's meters, to loopback and the allowed networks only; the stock writes' traces.</summary>
public sealed class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>
{
    private async Task<string> ScrapeAsync(string address = "127.0.0.1")
    {
        using var client = app.ClientFrom(address);
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        return text;
    }

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds or 15 s pass: the exporter caches a scrape for 300 ms, and a request's
    /// own duration is recorded as it ends, a moment after its answer reached the client (seconds later on a loaded CI
    /// machine: 3 s were once not enough). The last text either way.
    /// </summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> ready)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var text = await ScrapeAsync();
            if (ready(text) || DateTime.UtcNow > until) return text;
            await Task.Delay(100);
        }
    }

    private async Task<(double Value, string Text)> SampleAsync(string series, double atLeast, params string[] labels)
    {
        var text = await ScrapeUntilAsync(t => Sum(t, series, labels) >= atLeast);
        return (Sum(text, series, labels), text);
    }

    public static double Sum(string text, string series, params string[] labels) => text.Split('\n')
        .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal))
        .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
        .Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_sale_through_the_till_api_is_counted_by_outlet_with_its_shortfall_and_the_request()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("M", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 1));
        var outlet = $"outlet=\"{Api.DemoOutlet}\"";
        var before = await ScrapeAsync();

        using var till = app.TillClient();
        // The answer is read to its end and disposed: the test server finishes the request (and records its duration) only then.
        using (var response = await till.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku, quantity: 3)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            await response.Content.ReadAsStringAsync();
        }

        var sales = Sum(before, "backoffice_sales_recorded_total", outlet) + 1;
        const string route = "http_route=\"/api/till/sales\"";
        // The request's duration is recorded once its response has gone, after the routing metrics that also carry its route:
        // wait for the histogram itself.
        static bool HasRequestDuration(string t, string route) => t.Split('\n')
            .Any(l => l.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains(route, StringComparison.Ordinal));
        var text = await ScrapeUntilAsync(t => Sum(t, "backoffice_sales_recorded_total", outlet) >= sales && HasRequestDuration(t, route));
        Sum(text, "backoffice_sales_recorded_total", outlet).ShouldBeGreaterThanOrEqualTo(sales, text);
        Sum(text, "backoffice_sales_shortfall_total", outlet).ShouldBeGreaterThanOrEqualTo(Sum(before, "backoffice_sales_shortfall_total", outlet) + 2, text);
        Sum(text, "backoffice_till_items_total", "kind=\"sale\"", "source=\"direct\"", "result=\"recorded\"")
            .ShouldBeGreaterThanOrEqualTo(Sum(before, "backoffice_till_items_total", "kind=\"sale\"", "source=\"direct\"", "result=\"recorded\"") + 1, text);
        // ASP.NET Core's own request metrics, by route.
        text.Split('\n').ShouldContain(l => l.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains(route, StringComparison.Ordinal),
            "the request series scraped: " + string.Join("\n", text.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_sync_is_measured_by_batch_size_and_by_each_items_result()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("S", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 10));
        var sale = Api.Sale(Guid.NewGuid(), product.Sku);
        var before = await ScrapeAsync();
        using var till = app.TillClient();
        // Recorded, then the same sale again (a duplicate), then one the server holds for managers (an unknown sku).
        var response = await till.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { sale, sale, Api.Sale(Guid.NewGuid(), "NO-SUCH-SKU") } });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        string[] Item(string result) => ["kind=\"sale\"", "source=\"sync\"", $"result=\"{result}\""];
        var (_, text) = await SampleAsync("backoffice_till_items_total", Sum(before, "backoffice_till_items_total", Item("held")) + 1, Item("held"));
        foreach (var result in new[] { "recorded", "duplicate", "held" })
            Sum(text, "backoffice_till_items_total", Item(result)).ShouldBeGreaterThanOrEqualTo(Sum(before, "backoffice_till_items_total", Item(result)) + 1, result);
        Sum(text, "backoffice_sync_batch_size_count", "kind=\"sale\"").ShouldBeGreaterThanOrEqualTo(Sum(before, "backoffice_sync_batch_size_count", "kind=\"sale\"") + 1);
        Sum(text, "backoffice_sync_batch_size_sum", "kind=\"sale\"").ShouldBeGreaterThanOrEqualTo(Sum(before, "backoffice_sync_batch_size_sum", "kind=\"sale\"") + 3);
    }

    [Fact]
    public async Task A_job_run_is_counted_and_timed_by_job_and_outcome()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<StockJobs>().CheckLowStockAsync(CancellationToken.None);

        var job = $"job=\"{StockJobs.LowStockJobId}\"";
        var (runs, text) = await SampleAsync("backoffice_jobs_runs_total", 1, job, "outcome=\"succeeded\"");
        runs.ShouldBeGreaterThanOrEqualTo(1, text);
        Sum(text, "backoffice_jobs_duration_seconds_count", job).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.20.3.4")]
    [InlineData("::ffff:10.20.255.1")]
    [InlineData("192.168.7.7")]
    public async Task Loopback_and_the_allowed_networks_may_scrape(string address) =>
        (await ScrapeAsync(address)).ShouldContain("# TYPE ");

    [Theory]
    [InlineData("203.0.113.9")]
    [InlineData("10.21.0.1")]
    [InlineData("192.168.7.8")]
    [InlineData("2001:db8::1")]
    [InlineData(null)] // the test server's own requests carry no address: not known to be local
    public async Task Any_other_address_gets_404_and_no_metrics(string? address)
    {
        using var client = app.ClientFrom(address);
        var response = await client.GetAsync("/metrics");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("backoffice_");
    }

    [Fact]
    public async Task A_sale_is_traced_as_a_stock_write_with_its_sale_and_till()
    {
        var saleId = Guid.NewGuid();
        var seen = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == BackOfficeTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("T", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 5));

        using var till = app.TillClient();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var sale = seen.SingleOrDefault(a => a.OperationName == "stock.sale" && Equals(a.GetTagItem("backoffice.sale_id"), saleId));
        sale.ShouldNotBeNull("no stock.sale activity for the sale");
        sale.GetTagItem("backoffice.till_id").ShouldNotBeNull();
        sale.GetTagItem("backoffice.outlet_id").ShouldNotBeNull();
        // The receipt that stocked the product is a stock write of its own.
        seen.ShouldContain(a => a.OperationName == "stock.receipt");
    }

    [Fact]
    public async Task A_stock_write_started_again_is_counted()
    {
        long retries = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BackOfficeTelemetry.Name && instrument.Name == "backoffice.stock_write.retries") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref retries, value));
        listener.Start();

        await using var scope = app.CreateDbScope(out var db);
        var attempts = 0;
        (await db.RetryingStockWriteAsync(_ => ++attempts == 1 ? throw new StockConflictException("stale batch") : Task.FromResult(attempts), default)).ShouldBe(2);
        Interlocked.Read(ref retries).ShouldBeGreaterThanOrEqualTo(1);
    }
}
