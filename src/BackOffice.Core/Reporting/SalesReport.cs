using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public enum SalesBy { Day = 0, Product = 1, Outlet = 2, Till = 3 }

/// <summary>
/// Net sales of one group: units and revenue of sales less returns; cost at the unit cost of the batches the units came
/// from (and went back to); margin = revenue - cost. Units sold short (no batch) carry no cost.
/// </summary>
public sealed record SalesRow(string Key, string Label, DateOnly? Day, int Quantity, int ReturnedQuantity, decimal Revenue, decimal Cost)
{
    public decimal Margin => Revenue - Cost;
    public decimal? MarginPercent => Revenue == 0 ? null : decimal.Round(100 * Margin / Revenue, 1);
}

public sealed record SalesReport(ReportPage<SalesRow> Page, int Quantity, decimal Revenue, decimal Cost)
{
    public decimal Margin => Revenue - Cost;
}

/// <summary>A sale or return fact, keyed by every grouping the report offers, before grouping.</summary>
public sealed class SalesFact
{
    public int OutletId { get; set; }
    public int? TillId { get; set; }
    public int ProductId { get; set; }
    public DateTime Day { get; set; }
    public int Quantity { get; set; }
    public double Amount { get; set; }
}

public sealed partial class Reports
{
    /// <summary>
    /// Sales by day (the outlet's calendar day, from the till's UTC offset at the time of the sale), product, outlet or till.
    /// Four grouped queries (sold, cost of sold, returned, cost of returned), whatever the number of sales.
    /// </summary>
    public async Task<SalesReport> SalesAsync(ReportFilter filter, SalesBy by, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var rows = await SalesRowsAsync(filter, by, ct);
        var page = rows.Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToList();
        return new SalesReport(new ReportPage<SalesRow>(page, rows.Count), rows.Sum(r => r.Quantity), rows.Sum(r => r.Revenue), rows.Sum(r => r.Cost));
    }

    /// <summary>All groups (bounded by days, products, outlets or tills, never by sales), in the report's order.</summary>
    public async Task<IReadOnlyList<SalesRow>> SalesRowsAsync(ReportFilter filter, SalesBy by, CancellationToken ct = default)
    {
        filter.Validate();
        var sales = db.Sales.AsQueryable();
        if (filter.OutletId is { } outletId) sales = sales.Where(s => s.OutletId == outletId);
        sales = sales.WhereIf(await ReportFilters.WithinDaysAsync<Sale>(db, filter, s => s.OutletId, s => s.OccurredAt, ct));
        var returns = db.Returns.AsQueryable();
        if (filter.OutletId is { } returnOutletId) returns = returns.Where(r => r.OutletId == returnOutletId);
        returns = returns.WhereIf(await ReportFilters.WithinDaysAsync<Return>(db, filter, r => r.OutletId, r => r.OccurredAt, ct));
        var lines = db.SaleLines.AsQueryable();
        var returnLines = db.ReturnLines.AsQueryable();
        if (filter.ProductSearch is { } search)
        {
            lines = lines.Where(l => ReportFilters.ProductIds(db, search).Contains(l.ProductId));
            returnLines = returnLines.Where(l => ReportFilters.ProductIds(db, search).Contains(l.ProductId));
        }

        // A day is the sale's local date; a return counts on its own local date, at the offset of the sale it returns.
        var sold = from l in lines
                   join s in sales on l.SaleId equals s.Id
                   select new SalesFact { OutletId = s.OutletId, TillId = s.TillId, ProductId = l.ProductId, Day = s.OccurredAt.AddMinutes(s.OccurredOffsetMinutes).Date,
                       Quantity = l.Quantity, Amount = l.Quantity * (double)l.UnitPrice };
        var soldCost = from a in db.Allocations
                       join l in lines on a.SaleLineId equals l.Id
                       join s in sales on l.SaleId equals s.Id
                       join b in db.Batches on a.BatchId equals b.Id
                       select new SalesFact { OutletId = s.OutletId, TillId = s.TillId, ProductId = l.ProductId, Day = s.OccurredAt.AddMinutes(s.OccurredOffsetMinutes).Date,
                           Quantity = a.Quantity, Amount = a.Quantity * (double)b.UnitCost };
        // Returned units are refunded at the average price the sale charged for the product.
        var returned = from rl in returnLines
                       join r in returns on rl.ReturnId equals r.Id
                       join s in db.Sales on r.SaleId equals s.Id
                       select new SalesFact { OutletId = r.OutletId, TillId = r.TillId, ProductId = rl.ProductId, Day = r.OccurredAt.AddMinutes(s.OccurredOffsetMinutes).Date,
                           Quantity = rl.Quantity,
                           Amount = rl.Quantity * db.SaleLines.Where(l => l.SaleId == r.SaleId && l.ProductId == rl.ProductId).Sum(l => l.Quantity * (double)l.UnitPrice)
                                    / db.SaleLines.Where(l => l.SaleId == r.SaleId && l.ProductId == rl.ProductId).Sum(l => l.Quantity) };
        var returnedCost = from ra in db.ReturnAllocations
                           join rl in returnLines on ra.ReturnLineId equals rl.Id
                           join r in returns on rl.ReturnId equals r.Id
                           join s in db.Sales on r.SaleId equals s.Id
                           join b in db.Batches on ra.BatchId equals b.Id
                           select new SalesFact { OutletId = r.OutletId, TillId = r.TillId, ProductId = rl.ProductId, Day = r.OccurredAt.AddMinutes(s.OccurredOffsetMinutes).Date,
                               Quantity = ra.Quantity, Amount = ra.Quantity * (double)b.UnitCost };

        var groups = new[] { sold, soldCost, returned, returnedCost };
        var sums = new Dictionary<(DateTime?, int?), SalesGroup>[4];
        for (var i = 0; i < 4; i++)
            sums[i] = (await Grouped(groups[i], by).ToListAsync(ct)).ToDictionary(g => (g.Day, g.Id));
        var keys = sums.SelectMany(d => d.Keys).Distinct().ToList();
        var labels = await LabelsAsync(by, keys.Where(k => k.Item2 != null).Select(k => k.Item2!.Value).ToList(), ct);
        var rows = keys.Select(k =>
        {
            SalesGroup Of(int i) => sums[i].GetValueOrDefault(k) ?? new SalesGroup(null, null, 0, 0);
            var day = k.Item1 is { } d ? DateOnly.FromDateTime(d) : (DateOnly?)null;
            var key = by == SalesBy.Day ? day!.Value.ToString("yyyy-MM-dd") : k.Item2?.ToString() ?? "none";
            var label = by == SalesBy.Day ? key : k.Item2 is { } id ? labels.GetValueOrDefault(id, $"#{id}") : "No till";
            return new SalesRow(key, label, day, Of(0).Quantity - Of(2).Quantity, Of(2).Quantity,
                Cents(Of(0).Amount - Of(2).Amount), Cents(Of(1).Amount - Of(3).Amount));
        });
        return (by == SalesBy.Day ? rows.OrderBy(r => r.Day) : rows.OrderByDescending(r => r.Revenue).ThenBy(r => r.Label)).ToList();
    }

    private sealed record SalesGroup(DateTime? Day, int? Id, int Quantity, double Amount);

    private static IQueryable<SalesGroup> Grouped(IQueryable<SalesFact> facts, SalesBy by) => by switch
    {
        SalesBy.Day => facts.GroupBy(f => f.Day).Select(g => new SalesGroup(g.Key, null, g.Sum(f => f.Quantity), g.Sum(f => f.Amount))),
        SalesBy.Product => facts.GroupBy(f => f.ProductId).Select(g => new SalesGroup(null, g.Key, g.Sum(f => f.Quantity), g.Sum(f => f.Amount))),
        SalesBy.Outlet => facts.GroupBy(f => f.OutletId).Select(g => new SalesGroup(null, g.Key, g.Sum(f => f.Quantity), g.Sum(f => f.Amount))),
        _ => facts.GroupBy(f => f.TillId).Select(g => new SalesGroup(null, g.Key, g.Sum(f => f.Quantity), g.Sum(f => f.Amount))),
    };

    private async Task<Dictionary<int, string>> LabelsAsync(SalesBy by, List<int> ids, CancellationToken ct) => by switch
    {
        SalesBy.Product => await db.Products.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Sku, p.Name }).ToDictionaryAsync(p => p.Id, p => $"{p.Sku} {p.Name}", ct),
        SalesBy.Outlet => await db.Outlets.Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Code, o.Name }).ToDictionaryAsync(o => o.Id, o => $"{o.Code} {o.Name}", ct),
        SalesBy.Till => await db.Tills.Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct),
        _ => [],
    };
}
