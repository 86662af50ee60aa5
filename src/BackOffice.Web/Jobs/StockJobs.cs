using BackOffice.Core.Inventory;
using Hangfire;

namespace BackOffice.Web.Jobs;

/// <summary>
/// The background jobs Hangfire runs, recurring and on demand. Each only calls the engine: Hangfire runs a job at
/// least once, and the engine makes every one of them safe to run twice, or twice at the same time.
/// </summary>
public sealed class StockJobs(ExpiryMarking expiry, StockAlerts alerts)
{
    public const string ExpiryJobId = "expiry-marking";
    public const string NearExpiryJobId = "near-expiry-alert";
    public const string LowStockJobId = "low-stock-alert";

    [JobDisplayName("Mark expired stock")]
    [AutomaticRetry(Attempts = 5)]
    public Task<ExpiryRun> MarkExpiredAsync(CancellationToken ct) => MeasuredAsync(ExpiryJobId, () => expiry.MarkExpiredAsync(ct));

    [JobDisplayName("Near-expiry alert")]
    [AutomaticRetry(Attempts = 3)]
    public Task<AlertRun> CheckNearExpiryAsync(CancellationToken ct) => MeasuredAsync(NearExpiryJobId, () => alerts.CheckNearExpiryAsync(ct));

    [JobDisplayName("Low-stock alert")]
    [AutomaticRetry(Attempts = 3)]
    public Task<AlertRun> CheckLowStockAsync(CancellationToken ct) => MeasuredAsync(LowStockJobId, () => alerts.CheckLowStockAsync(ct));

    /// <summary>Each run, recurring or "run now", counted and timed by job and outcome (backoffice.jobs.*), with a trace of its own.</summary>
    private static async Task<T> MeasuredAsync<T>(string job, Func<Task<T>> run)
    {
        using var activity = BackOfficeTelemetry.Source.StartActivity("job " + job);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var result = await run();
            succeeded = true;
            return result;
        }
        finally
        {
            BackOfficeTelemetry.JobRun(job, succeeded, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }
}
