using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

/// <summary>
/// An outlet's figures. <see cref="StockValue"/> is its sellable stock at cost and <see cref="ExpiredValue"/> its expired stock
/// at cost (<see cref="Reporting.StockValue"/>, as on the stock report), both in <see cref="Currency"/>; <see cref="Culture"/>
/// and <see cref="TimeZoneId"/> are how the outlet writes them.
/// </summary>
public sealed record OutletFigures(int OutletId, string Code, string Name, string Currency, string? Culture, string TimeZoneId,
    decimal StockValue, decimal ExpiredValue, int ExpiringBatches, int LowStockProducts);

public sealed record ExpiringBatch(Guid BatchId, string OutletCode, string Sku, string ProductName, string? LotNumber, DateOnly ExpiryDate, int OnHand);

/// <summary>The manager's home page figures: each a single grouped query, whatever the number of products or batches.</summary>
public sealed class Dashboard(BackOfficeDb db, TimeProvider clock, BaseCurrency? baseCurrency = null)
{
    private readonly BaseCurrency _base = baseCurrency ?? BaseCurrency.Gbp;

    public const int ExpiryHorizonDays = 30;

    public async Task<IReadOnlyList<OutletFigures>> OutletFiguresAsync(CancellationToken ct = default)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);

        // Stock value as the stock report has it: sellable stock at cost, and expired stock at cost apart.
        var value = await StockValue.ByOutlet(db, days, new ReportFilter(), _base).ToDictionaryAsync(x => x.OutletId, ct);

        var expiring = await ExpiringSoonQuery(days).GroupBy(b => b.OutletId)
            .Select(g => new { OutletId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OutletId, x => x.Count, ct);

        // Low stock: every (outlet, active product) pair at or below the reorder level (StockQueries.LowStockLines), counted per outlet.
        var low = await db.LowStockLines(days)
            .GroupBy(l => l.OutletId)
            .Select(g => new { OutletId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.OutletId, x => x.Count, ct);

        var outlets = await db.Outlets.OrderBy(o => o.Code).Select(o => new { o.Id, o.Code, o.Name, o.Currency, o.Culture, o.TimeZoneId }).ToListAsync(ct);
        return outlets.Select(o => new OutletFigures(o.Id, o.Code, o.Name, _base.Of(o.Currency), o.Culture, o.TimeZoneId,
            value.GetValueOrDefault(o.Id)?.Value ?? 0, value.GetValueOrDefault(o.Id)?.ExpiredValue ?? 0,
            expiring.GetValueOrDefault(o.Id), low.GetValueOrDefault(o.Id))).ToList();
    }

    /// <summary>Sellable and expired stock at cost over the outlets, per currency.</summary>
    public static (IReadOnlyList<CurrencyAmount> StockValue, IReadOnlyList<CurrencyAmount> ExpiredValue) Totals(IReadOnlyList<OutletFigures> outlets) =>
        (outlets.ByCurrency(o => o.Currency, o => o.StockValue), outlets.ByCurrency(o => o.Currency, o => o.ExpiredValue));

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
