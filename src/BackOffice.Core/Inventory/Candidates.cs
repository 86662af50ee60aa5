using System.Linq.Expressions;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>
/// The products asked for and their sellable batches at an outlet, each product's batches in FEFO order; with them, whatever
/// its status, every batch of a lot the till scanned (the pack has left the shop: it is taken from its own lot).
/// </summary>
internal sealed class Candidates
{
    public sealed record ProductRow(int ProductId, string Sku, bool Active);

    public sealed record BatchRow(Guid BatchId, int ProductId, string? LotNumber, DateOnly? ExpiryDate, DateTime ReceivedAt, int OnHand, int Version, decimal UnitCost,
        bool Quarantined = false);

    public required Dictionary<string, ProductRow> Products { get; init; }
    public required Dictionary<int, List<BatchRow>> Batches { get; init; }

    public static async Task<Candidates> ReadAsync(BackOfficeDb db, int outletId, IReadOnlyCollection<string> skus, DateOnly today, CancellationToken ct)
    {
        var products = await ProductsQuery(db, skus).ToListAsync(ct);
        return await ReadAsync(db, outletId, products, today, [], ct);
    }

    /// <summary>The products with these skus (unknown skus are simply absent).</summary>
    public static IQueryable<ProductRow> ProductsQuery(BackOfficeDb db, IReadOnlyCollection<string> skus) =>
        db.Products.Where(p => skus.Contains(p.Sku)).Select(p => new ProductRow(p.Id, p.Sku, p.Active));

    /// <summary>
    /// The sellable batches of products already read. One query over the batch table alone: reading them with the
    /// products in a LEFT JOIN cost EF twice as much per row to materialise.
    /// </summary>
    public static async Task<Candidates> ReadAsync(BackOfficeDb db, int outletId, IReadOnlyCollection<ProductRow> products, DateOnly today,
        List<string> scannedLots, CancellationToken ct)
    {
        var ids = products.Select(p => p.ProductId).ToList();
        var rows = new List<BatchRow>();
        if (ids.Count > 0)
            await foreach (var row in SellableBatches.For(db)(db, outletId, ids, today, scannedLots).WithCancellation(ct)) rows.Add(row);
        var byProduct = rows.GroupBy(b => b.ProductId).ToDictionary(g => g.Key, g => g.OrderBy(b => b, FefoComparer.Instance).ToList());
        return new Candidates { Products = products.ToDictionary(p => p.Sku), Batches = byProduct };
    }

    private static readonly Expression<Func<BackOfficeDb, int, List<int>, DateOnly, List<string>, IQueryable<BatchRow>>> SellableBatchesTemplate =
        (db, outletId, ids, today, lots) => QueryTemplates.BatchesForUpdate(db)
            .Where(b => b.OutletId == outletId && ids.Contains(b.ProductId) && b.OnHand > 0)
            .Where(b => ExpiryRule.SellableOn(b, today) || lots.Contains(b.LotNumber!))
            // PostgreSQL locks the rows FOR UPDATE in this order whatever plan it picks (a prepared statement's generic plan
            // may scan in another order than a fresh one): every sale locks in one order, so two sales cannot deadlock.
            .OrderBy(b => b.Id)
            .Select(b => new BatchRow(b.Id, b.ProductId, b.LotNumber, b.ExpiryDate, b.ReceivedAt, b.OnHand, b.Version, b.UnitCost, b.Quarantined));

    /// <summary>The read above for one provider, its row lock and the expiry rule written in (a test renders each).</summary>
    internal static Expression<Func<BackOfficeDb, int, List<int>, DateOnly, List<string>, IQueryable<BatchRow>>> SellableBatchesQuery(DatabaseProvider provider) =>
        QueryTemplates.Expand(SellableBatchesTemplate, provider);

    /// <summary>That read compiled once per provider: it runs in every sale.</summary>
    private static readonly QueryTemplates.PerModel<Func<BackOfficeDb, int, List<int>, DateOnly, List<string>, IAsyncEnumerable<BatchRow>>> SellableBatches =
        new(p => EF.CompileAsyncQuery(SellableBatchesQuery(p)));

    /// <summary>
    /// A line's batches in the order they are taken: the scanned lot's first, whatever their status, then the product's
    /// sellable batches FEFO. Without a lot (or an unknown one), FEFO alone.
    /// </summary>
    public IEnumerable<BatchRow> InAllocationOrder(int productId, string? lotNumber, DateOnly today)
    {
        var batches = Batches.GetValueOrDefault(productId) ?? [];
        var fefo = batches.Where(b => ExpiryRule.IsSellable(b.Quarantined, b.ExpiryDate, today));
        return lotNumber is null ? fefo : batches.Where(b => b.LotNumber == lotNumber).Concat(fefo.Where(b => b.LotNumber != lotNumber));
    }

    private sealed class FefoComparer : IComparer<BatchRow>
    {
        public static readonly FefoComparer Instance = new();
        public int Compare(BatchRow? x, BatchRow? y) =>
            Fefo.Compare(x!.ExpiryDate, x.ReceivedAt, x.BatchId, y!.ExpiryDate, y.ReceivedAt, y.BatchId);
    }
}
