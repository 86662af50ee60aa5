using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>The sellable quantity of one product at one outlet after a committed change.</summary>
public sealed record StockLevel(int OutletId, string OutletCode, int ProductId, string Sku, int Available);

/// <summary>
/// Told after every committed change of sellable stock, one level per (outlet, product) per transaction.
/// The web host pushes these to tills over SignalR; tests record them.
/// </summary>
public interface IStockChangeNotifier
{
    Task StockChangedAsync(IReadOnlyList<StockLevel> levels, CancellationToken ct = default);

    /// <summary>
    /// What these outlets' tills may sell changed otherwise than in stock figures (a lot recalled or released): they fetch
    /// their catalog now rather than at their next periodic check. Each outlet once.
    /// </summary>
    Task CatalogChangedAsync(IReadOnlyList<string> outletCodes, CancellationToken ct = default) => Task.CompletedTask;
}

/// <summary>Used where nobody listens (tools, benchmarks).</summary>
public sealed class NoStockChangeNotifier : IStockChangeNotifier
{
    public static readonly NoStockChangeNotifier Instance = new();
    public Task StockChangedAsync(IReadOnlyList<StockLevel> levels, CancellationToken ct = default) => Task.CompletedTask;
}

public static class StockLevels
{
    /// <summary>Available quantities of the touched (outlet, product) pairs, in one grouped query, for notifying after commit.</summary>
    public static async Task<IReadOnlyList<StockLevel>> ForAsync(BackOfficeDb db, IReadOnlyCollection<(int OutletId, int ProductId)> touched,
        DateTimeOffset now, CancellationToken ct) =>
        touched.Count == 0 ? [] : await ForAsync(db, touched, await db.OutletDaysAsync(now, ct), ct);

    /// <summary>As above, with the outlets' days the caller has already read.</summary>
    public static async Task<IReadOnlyList<StockLevel>> ForAsync(BackOfficeDb db, IReadOnlyCollection<(int OutletId, int ProductId)> touched,
        OutletDays days, CancellationToken ct)
    {
        if (touched.Count == 0) return [];
        var outletIds = touched.Select(t => t.OutletId).Distinct().ToList();
        var productIds = touched.Select(t => t.ProductId).Distinct().ToList();
        var sellable = ExpiryRule.IsSellable(days);
        var sums = await db.Batches
            // EF.Parameter: one list parameter, not one per value (an opening stock import touches thousands of products).
            .Where(b => EF.Parameter(outletIds).Contains(b.OutletId) && EF.Parameter(productIds).Contains(b.ProductId))
            .Where(sellable)
            .GroupBy(b => new { b.OutletId, b.ProductId })
            .Select(g => new { g.Key.OutletId, g.Key.ProductId, Available = g.Sum(b => b.OnHand) })
            .ToDictionaryAsync(s => (s.OutletId, s.ProductId), s => s.Available, ct);
        var names = await db.Outlets.Where(o => EF.Parameter(outletIds).Contains(o.Id)).Select(o => new { o.Id, o.Code }).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        var skus = await db.Products.Where(p => EF.Parameter(productIds).Contains(p.Id)).Select(p => new { p.Id, p.Sku }).ToDictionaryAsync(p => p.Id, p => p.Sku, ct);
        return touched.Distinct().Select(t => new StockLevel(t.OutletId, names[t.OutletId], t.ProductId, skus[t.ProductId],
            sums.GetValueOrDefault(t))).ToList();
    }
}
