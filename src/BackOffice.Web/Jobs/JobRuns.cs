using System.Text.Json;
using BackOffice.Core.Inventory;
using Hangfire;
using Hangfire.States;

namespace BackOffice.Web.Jobs;

/// <summary>Where a job is: Hangfire's state name, its reason (retry, failure), and the job's result once it succeeded.</summary>
public sealed record JobStatus(string JobId, string State, string? Reason, string? Result)
{
    public bool Succeeded => State == SucceededState.StateName;
    public bool IsFinal => State == SucceededState.StateName || State == FailedState.StateName || State == DeletedState.StateName;

    public T? ResultAs<T>() => Result is null ? default : JsonSerializer.Deserialize<T>(Result, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The "run now" buttons: enqueue a stock job on the shared queue (any node's server picks it up) and follow it.</summary>
public sealed class JobRuns(IBackgroundJobClient client, JobStorage storage)
{
    public string EnqueueExpiryMarking() => client.Enqueue<StockJobs>(j => j.MarkExpiredAsync(CancellationToken.None));
    public string EnqueueNearExpiryCheck() => client.Enqueue<StockJobs>(j => j.CheckNearExpiryAsync(CancellationToken.None));
    public string EnqueueLowStockCheck() => client.Enqueue<StockJobs>(j => j.CheckLowStockAsync(CancellationToken.None));

    public JobStatus? Status(string jobId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId);
        if (state is null) return null;
        return new JobStatus(jobId, state.Name, state.Reason, state.Data is { } data && data.TryGetValue("Result", out var result) ? result : null);
    }

    /// <summary>Polls the job until it is done or <paramref name="timeout"/> passes; reports every change of state.</summary>
    public async Task<JobStatus?> FollowAsync(string jobId, Func<JobStatus, Task> changed, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        JobStatus? last = null;
        while (!ct.IsCancellationRequested)
        {
            var status = Status(jobId);
            if (status is not null && status != last)
            {
                last = status;
                await changed(status);
            }
            if (status is { IsFinal: true } || DateTime.UtcNow > until) return last;
            await Task.Delay(500, ct);
        }
        return last;
    }

    public static string Describe(ExpiryRun run) => run.Batches == 0
        ? "Nothing newly expired."
        : $"{run.Batches:N0} batches newly expired ({run.Units:N0} units of {run.Products:N0} products): out of sellable stock and on the disposal lists.";

    public static string Describe(AlertRun run) =>
        (run.Kind == NotificationKind.LowStock
            ? $"{run.Count:N0} low-stock lines at {run.Outlets:N0} outlets"
            : $"{run.Count:N0} batches expiring soon at {run.Outlets:N0} outlets")
        + $"; {run.Added:N0} notifications added, {run.Updated:N0} updated.";
}

/// <summary>The unread count behind the bell, shared by the bell and the notifications page of one circuit.</summary>
public sealed class NotificationCounter(Microsoft.EntityFrameworkCore.IDbContextFactory<BackOffice.Core.Data.BackOfficeDb> dbs)
{
    public int Unread { get; private set; }
    public event Action? Changed;

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        Unread = await db.UnreadCountAsync(ct);
        Changed?.Invoke();
    }
}
