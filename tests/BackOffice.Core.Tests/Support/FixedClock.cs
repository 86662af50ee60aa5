namespace BackOffice.Core.Tests.Support;

/// <summary>A clock the test sets.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Records what the engine announces after commit.</summary>
public sealed class RecordingNotifier : BackOffice.Core.Inventory.IStockChangeNotifier
{
    public List<IReadOnlyList<BackOffice.Core.Inventory.StockLevel>> Notifications { get; } = [];

    public Task StockChangedAsync(IReadOnlyList<BackOffice.Core.Inventory.StockLevel> levels, CancellationToken ct = default)
    {
        lock (Notifications) Notifications.Add(levels);
        return Task.CompletedTask;
    }
}
