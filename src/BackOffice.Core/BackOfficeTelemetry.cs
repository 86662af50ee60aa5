using System.Diagnostics;
using System.Diagnostics.Metrics;
using BackOffice.Core.Inventory;

namespace BackOffice.Core;

/// <summary>
/// The product's own metrics and traces, all in one place: their names are what dashboards and alerts are written
/// against (README, Operations). Static, as a library's <see cref="Meter"/> and <see cref="ActivitySource"/> usually are:
/// the engine's static write path reports too, and a measurement with no listener costs next to nothing. The host
/// subscribes (OpenTelemetry, <c>Metrics</c> and <c>/metrics</c>).
/// </summary>
public static class BackOfficeTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "BackOffice";

    public static readonly Meter Meter = new(Name);
    public static readonly ActivitySource Source = new(Name);

    private static readonly Counter<long> SalesRecorded = Meter.CreateCounter<long>("backoffice.sales.recorded", "{sale}",
        "Sales recorded for the first time (not replays), by outlet.");

    private static readonly Counter<long> ShortfallUnits = Meter.CreateCounter<long>("backoffice.sales.shortfall", "{unit}",
        "Units sold that no sellable batch held (each raises a discrepancy), by outlet.");

    private static readonly Histogram<int> SyncBatchSize = Meter.CreateHistogram<int>("backoffice.sync.batch.size", "{item}",
        "Sales (kind=sale) or returns (kind=return) in one POST /api/till/sales/sync.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] });

    private static readonly Counter<long> TillItems = Meter.CreateCounter<long>("backoffice.till.items", "{item}",
        "Sales and returns a till sent, by kind (sale, return), source (direct, sync, import) and result (recorded, duplicate, held, rejected).");

    private static readonly Counter<long> StockWriteRetries = Meter.CreateCounter<long>("backoffice.stock_write.retries", "{retry}",
        "Stock writes started again from a fresh read because a guard found the stock changed under them.");

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("backoffice.jobs.runs", "{run}",
        "Background job runs, by job and outcome (succeeded, failed).");

    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("backoffice.jobs.duration", "s",
        "How long a background job run took, by job and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    /// <summary>A sale was recorded (after its commit), with the units no batch could give.</summary>
    public static void SaleRecorded(string outletCode, int shortfallUnits)
    {
        var outlet = new KeyValuePair<string, object?>("outlet", outletCode);
        SalesRecorded.Add(1, outlet);
        if (shortfallUnits > 0) ShortfallUnits.Add(shortfallUnits, outlet);
    }

    public static void SyncBatch(string kind, int items) => SyncBatchSize.Record(items, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>
    /// One item a till sent. <paramref name="result"/>: recorded, duplicate, held (rejected and kept for managers, so the
    /// till may forget it) or rejected (not even held: the till keeps it and sends it again).
    /// </summary>
    public static void TillItem(string kind, string source, string result) =>
        TillItems.Add(1, new("kind", kind), new("source", source), new("result", result));

    /// <summary>A stock write's guard failed and the write starts again (an event on the write's trace, too).</summary>
    public static void StockWriteRetried()
    {
        StockWriteRetries.Add(1);
        Activity.Current?.AddEvent(new ActivityEvent("stock_write.retry"));
    }

    public static void JobRun(string job, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "job", job }, { "outcome", succeeded ? "succeeded" : "failed" } };
        JobRuns.Add(1, tags);
        JobDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>
    /// The trace of one stock write (<c>stock.sale</c>, <c>stock.return</c>, <c>stock.receipt</c>, …), tagged with where it
    /// comes from; null when nobody listens (no tracing exporter configured).
    /// </summary>
    public static Activity? StartStockWrite(string operation, Counter? counter = null)
    {
        var activity = Source.StartActivity("stock." + operation);
        if (activity is not null && counter is not null)
        {
            activity.SetTag("backoffice.outlet_id", counter.OutletId);
            if (counter.TillId is { } till) activity.SetTag("backoffice.till_id", till);
        }
        return activity;
    }
}
