using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public sealed record OutletFigures(int OutletId, string Code, string Name, decimal StockValue, int ExpiringBatches, int LowStockProducts);

public sealed record ExpiringBatch(Guid BatchId, string OutletCode, string Sku, string ProductName, string? LotNumber, DateOnly ExpiryDate, int OnHand);

/// <summary>The manager's home page figures: each a single grouped query, whatever the number of products or batches.</summary>
public sealed class Dashboard(BackOfficeDb db, TimeProvider clock)
{
    public const int ExpiryHorizonDays = 30;

    public async Task<IReadOnlyList<OutletFigures>> OutletFiguresAsync(CancellationToken ct = default)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        var sellable = ExpiryRule.IsSellable(days);

        // Value at cost of sellable stock per outlet.
        var value = await db.Batches.Where(b => b.OnHand > 0).Where(sellable)
            .GroupBy(b => b.OutletId)
            .Select(g => new { OutletId = g.Key, Value = g.Sum(b => b.OnHand * b.UnitCost) })
            .ToDictionaryAsync(x => x.OutletId, x => x.Value, ct);

        var expiring = await ExpiringSoonQuery(days).GroupBy(b => b.OutletId)
            .Select(g => new { OutletId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OutletId, x => x.Count, ct);

        // Low stock: every (outlet, active product) pair at or below the reorder level (StockQueries.LowStockLines), counted per outlet.
        var low = await db.LowStockLines(days)
            .GroupBy(l => l.OutletId)
            .Select(g => new { OutletId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OutletId, x => x.Count, ct);

        var outlets = await db.Outlets.OrderBy(o => o.Code).Select(o => new { o.Id, o.Code, o.Name }).ToListAsync(ct);
        return outlets.Select(o => new OutletFigures(o.Id, o.Code, o.Name,
            value.GetValueOrDefault(o.Id), expiring.GetValueOrDefault(o.Id), low.GetValueOrDefault(o.Id))).ToList();
    }

    public async Task<IReadOnlyList<ExpiringBatch>> ExpiringSoonAsync(int take = 10, CancellationToken ct = default)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        return await ExpiringSoonQuery(days).InFefoOrder().Take(take)
            .Select(b => new ExpiringBatch(b.Id, b.Outlet.Code, b.Product.Sku, b.Product.Name, b.LotNumber, b.ExpiryDate!.Value, b.OnHand))
            .ToListAsync(ct);
    }

    // Sellable today and expiring within the horizon, both judged by each batch's own outlet's today.
    private IQueryable<Batch> ExpiringSoonQuery(OutletDays days) =>
        db.Batches.Where(b => b.OnHand > 0).Where(ExpiryRule.ExpiresWithin(days, ExpiryHorizonDays));
}
