using BackOffice.Core.Data;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>A product's stock at one outlet: sellable, expired (not yet written off), on hand.</summary>
public sealed record OutletStock(int OutletId, string OutletCode, string OutletName, int Available, int OnHand)
{
    public int Expired => OnHand - Available;
}

/// <summary>
/// One batch holding stock, with the days left before it expires at its outlet (null: never expires); its unit cost is in
/// <see cref="Currency"/>, its outlet's, which writes it in <see cref="Culture"/>.
/// </summary>
public sealed record BatchView(Guid Id, int OutletId, string OutletCode, string? LotNumber, DateOnly? ExpiryDate, int? DaysLeft,
    int OnHand, int QuantityReceived, decimal UnitCost, DateTime ReceivedAt, string Currency, string? Culture, string TimeZoneId, bool Quarantined = false);

/// <summary>One line of the ledger.</summary>
public sealed record MovementView(long Id, DateTime CreatedAt, string OutletCode, string? LotNumber, MovementKind Kind, int Quantity,
    string? Reference, string? UserName, string? TillName, string? Note)
{
    public MovementReference? Document => MovementReference.Parse(Reference);
    public string? By => MovementBy.Name(UserName, TillName);
}

/// <summary>What the product detail page shows, each part one query (the sums grouped in SQL).</summary>
public sealed class ProductStockReport(BackOfficeDb db, TimeProvider clock, BaseCurrency? baseCurrency = null)
{
    private readonly BaseCurrency _base = baseCurrency ?? BaseCurrency.Gbp;

    /// <summary>Stock per outlet: every outlet, those without any batch of the product at zero.</summary>
    public async Task<IReadOnlyList<OutletStock>> PerOutletAsync(int productId, CancellationToken ct = default)
    {
        var outlets = await db.Outlets.OrderBy(o => o.Code).Select(o => new { o.Id, o.Code, o.Name, o.TimeZoneId }).ToListAsync(ct);
        var days = new OutletDays(outlets.Select(o => (o.Id, o.TimeZoneId)), clock.GetUtcNow());
        var onHand = await db.Batches.Where(b => b.ProductId == productId).GroupBy(b => b.OutletId)
            .Select(g => new { OutletId = g.Key, OnHand = g.Sum(b => b.OnHand) }).ToDictionaryAsync(x => x.OutletId, x => x.OnHand, ct);
        var available = await db.Batches.Where(b => b.ProductId == productId).Where(ExpiryRule.IsSellable(days)).GroupBy(b => b.OutletId)
            .Select(g => new { OutletId = g.Key, Available = g.Sum(b => b.OnHand) }).ToDictionaryAsync(x => x.OutletId, x => x.Available, ct);
        return outlets.Select(o => new OutletStock(o.Id, o.Code, o.Name, available.GetValueOrDefault(o.Id), onHand.GetValueOrDefault(o.Id))).ToList();
    }

    /// <summary>Batches holding stock, in FEFO order per outlet.</summary>
    public async Task<IReadOnlyList<BatchView>> BatchesAsync(int productId, CancellationToken ct = default)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        var rows = await db.Batches.Where(b => b.ProductId == productId && b.OnHand > 0).InFefoOrder()
            .Select(b => new
            {
                b.Id, b.OutletId, b.Outlet.Code, b.LotNumber, b.ExpiryDate, b.OnHand, b.QuantityReceived, b.UnitCost, b.ReceivedAt,
                b.Outlet.Currency, b.Outlet.Culture, b.Outlet.TimeZoneId, b.Quarantined,
            })
            .ToListAsync(ct);
        return rows.Select(b => new BatchView(b.Id, b.OutletId, b.Code, b.LotNumber, b.ExpiryDate,
                b.ExpiryDate is { } d ? d.DayNumber - days[b.OutletId].DayNumber : null, b.OnHand, b.QuantityReceived, b.UnitCost, b.ReceivedAt,
                _base.Of(b.Currency), b.Culture, b.TimeZoneId, b.Quarantined))
            .OrderBy(b => b.OutletCode, StringComparer.Ordinal).ToList();
    }

    /// <summary>A page of the product's ledger, newest first, and the ledger's length.</summary>
    public async Task<(int Total, IReadOnlyList<MovementView> Rows)> LedgerAsync(int productId, int skip, int take, CancellationToken ct = default)
    {
        var movements = db.Movements.Where(m => m.ProductId == productId);
        var total = await movements.CountAsync(ct);
        var rows = await movements.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(m => new MovementView(m.Id, m.CreatedAt, m.Batch.Outlet.Code, m.Batch.LotNumber, m.Kind, m.Quantity, m.Reference, m.UserName,
                db.Tills.Where(t => t.Id == m.TillId).Select(t => t.Name).FirstOrDefault(), m.Note))
            .ToListAsync(ct);
        return (total, rows);
    }
}
