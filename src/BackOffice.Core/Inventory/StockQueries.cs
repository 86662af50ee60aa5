using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>Stock of one product at one outlet, summed in SQL.</summary>
public sealed record ProductStock(int ProductId, string Sku, string? Barcode, string Name, decimal Price, int ReorderLevel,
    bool TracksExpiry, int OnHand, int Available, DateOnly? NextExpiry, string TaxCategory, int Quarantined = 0)
{
    /// <summary>Expired and not quarantined: on hand = available + expired + quarantined.</summary>
    public int Expired => OnHand - Available - Quarantined;
    public bool LowStock => Available <= ReorderLevel;
}

/// <summary>An outlet's product at or below its reorder level.</summary>
public sealed class LowStockLine
{
    public int OutletId { get; init; }
    public int ProductId { get; init; }
    public int Available { get; init; }
    public int ReorderLevel { get; init; }
}

/// <summary>The available-quantity query and its relatives, in one place. Every sum runs in the database.</summary>
public static class StockQueries
{
    /// <summary>Sellable units of one product at one outlet.</summary>
    public static Task<int> AvailableAsync(this BackOfficeDb db, int outletId, int productId, DateOnly today, CancellationToken ct = default) =>
        db.Batches.Where(b => b.OutletId == outletId && b.ProductId == productId)
            .Where(ExpiryRule.IsSellableOn(today))
            .SumAsync(b => b.OnHand, ct);

    /// <summary>
    /// Every active product with its stock at the outlet (products the outlet has none of included), as one query:
    /// correlated sums over the (OutletId, ProductId, ExpiryDate) index, so the cost is one index seek per product row returned.
    /// </summary>
    public static IQueryable<ProductStock> StockAt(this BackOfficeDb db, int outletId, DateOnly today, IQueryable<Catalog.Product>? products = null)
    {
        var sellable = ExpiryRule.IsSellableOn(today);
        return (products ?? db.Products.Where(p => p.Active)).Select(p => new ProductStock(
            p.Id, p.Sku, p.Barcode, p.Name, p.Price, p.ReorderLevel, p.TracksExpiry,
            db.Batches.Where(b => b.OutletId == outletId && b.ProductId == p.Id).Sum(b => b.OnHand),
            db.Batches.Where(b => b.OutletId == outletId && b.ProductId == p.Id).Where(sellable).Sum(b => b.OnHand),
            db.Batches.Where(b => b.OutletId == outletId && b.ProductId == p.Id && b.OnHand > 0).Where(sellable).Min(b => b.ExpiryDate), p.TaxCategory,
            db.Batches.Where(b => b.OutletId == outletId && b.ProductId == p.Id && b.Quarantined).Sum(b => b.OnHand)));
    }

    /// <summary>
    /// Every (outlet, active product) pair whose sellable quantity is at or below the product's reorder level, pairs
    /// with no batch at all included. One query; the sum is a correlated seek on the batch index.
    /// </summary>
    public static IQueryable<LowStockLine> LowStockLines(this BackOfficeDb db, OutletDays days)
    {
        var sellable = ExpiryRule.IsSellable(days);
        return from o in db.Outlets
               from p in db.Products
               where p.Active
               let available = db.Batches.Where(b => b.OutletId == o.Id && b.ProductId == p.Id).Where(sellable).Sum(b => b.OnHand)
               where available <= p.ReorderLevel
               select new LowStockLine { OutletId = o.Id, ProductId = p.Id, Available = available, ReorderLevel = p.ReorderLevel };
    }

    /// <summary>Today's date at every outlet (one small query; outlets are few).</summary>
    public static async Task<OutletDays> OutletDaysAsync(this BackOfficeDb db, DateTimeOffset now, CancellationToken ct = default)
    {
        var outlets = await db.Outlets.Select(o => new { o.Id, o.TimeZoneId }).ToListAsync(ct);
        return new OutletDays(outlets.Select(o => (o.Id, o.TimeZoneId)), now);
    }
}
