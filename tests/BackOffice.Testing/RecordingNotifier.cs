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

    /// <summary>The outlets told to fetch their catalog, one list per call.</summary>
    public List<IReadOnlyList<string>> CatalogChanges { get; } = [];

    public Task CatalogChangedAsync(IReadOnlyList<string> outletCodes, CancellationToken ct = default)
    {
        lock (CatalogChanges) CatalogChanges.Add(outletCodes);
        return Task.CompletedTask;
    }
}
