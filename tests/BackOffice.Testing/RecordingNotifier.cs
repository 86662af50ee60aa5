namespace BackOffice.Testing;

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
