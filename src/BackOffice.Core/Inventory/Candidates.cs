using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>The products named by skus, and for each its sellable batches at one outlet in FEFO order, read in one query.</summary>
internal sealed class Candidates
{
    public sealed record ProductRow(int ProductId, string Sku, bool Active);

    public sealed record BatchRow(Guid BatchId, int ProductId, string? LotNumber, DateOnly? ExpiryDate, DateTime ReceivedAt, int OnHand, int Version);

    public required Dictionary<string, ProductRow> Products { get; init; }
    public required Dictionary<int, List<BatchRow>> Batches { get; init; }

    public static async Task<Candidates> ReadAsync(BackOfficeDb db, int outletId, IReadOnlyCollection<string> skus, DateOnly today, CancellationToken ct)
    {
        var batches = db.BatchesForUpdate().Where(b => b.OutletId == outletId && b.OnHand > 0).Where(ExpiryRule.IsSellableOn(today));
        var rows = await (from p in db.Products
                          where skus.Contains(p.Sku)
                          join b in batches on p.Id equals b.ProductId into found
                          from b in found.DefaultIfEmpty()
                          select new
                          {
                              p.Id, p.Sku, p.Active,
                              BatchId = (Guid?)b!.Id, b.LotNumber, b.ExpiryDate, ReceivedAt = (DateTime?)b.ReceivedAt,
                              OnHand = (int?)b.OnHand, Version = (int?)b.Version,
                          }).ToListAsync(ct);
        var products = rows.DistinctBy(r => r.Id).ToDictionary(r => r.Sku, r => new ProductRow(r.Id, r.Sku, r.Active));
        var byProduct = rows.Where(r => r.BatchId is not null)
            .Select(r => new BatchRow(r.BatchId!.Value, r.Id, r.LotNumber, r.ExpiryDate, r.ReceivedAt!.Value, r.OnHand!.Value, r.Version!.Value))
            .GroupBy(b => b.ProductId)
            .ToDictionary(g => g.Key, g => g.OrderBy(b => b, FefoComparer.Instance).ToList());
        return new Candidates { Products = products, Batches = byProduct };
    }

    private sealed class FefoComparer : IComparer<BatchRow>
    {
        public static readonly FefoComparer Instance = new();
        public int Compare(BatchRow? x, BatchRow? y) =>
            Fefo.Compare(x!.ExpiryDate, x.ReceivedAt, x.BatchId, y!.ExpiryDate, y.ReceivedAt, y.BatchId);
    }
}
