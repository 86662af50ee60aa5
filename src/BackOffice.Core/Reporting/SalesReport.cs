using System.Linq.Expressions;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public enum SalesBy { Day = 0, Product = 1, Outlet = 2, Till = 3 }

/// <summary>
/// Net sales of one group: units and revenue of sales less returns; cost at the unit cost of the batches the units came
/// from (and went back to); margin = revenue - cost. Units sold short (no batch) carry no cost.
/// </summary>
public sealed record SalesRow(string Key, string Label, DateOnly? Day, long Quantity, long ReturnedQuantity, decimal Revenue, decimal Cost)
{
    public decimal Margin => Revenue - Cost;
    public decimal? MarginPercent => Revenue == 0 ? null : decimal.Round(100 * Margin / Revenue, 1);
}

public sealed record SalesReport(ReportPage<SalesRow> Page, long Quantity, decimal Revenue, decimal Cost)
{
    public decimal Margin => Revenue - Cost;
}

public sealed partial class Reports
{
    /// <summary>
    /// Sales by day (the outlet's calendar day, from the till's UTC offset at the time of the sale), product, outlet or till,
    /// summed from the daily totals the sale and return recorders keep (<see cref="SalesDay"/>): one grouped query, and a
    /// year is a few hundred thousand small rows at most instead of every line, allocation and return.
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
        var days = db.SalesDays.AsQueryable();
        if (filter.OutletId is { } outletId) days = days.Where(d => d.OutletId == outletId);
        if (filter.From is { } from) days = days.Where(d => d.Day >= from);
        if (filter.To is { } to) days = days.Where(d => d.Day <= to);
        if (filter.ProductSearch is { } search) days = days.Where(d => ReportFilters.ProductIds(db, search).Contains(d.ProductId));

        Expression<Func<SalesDay, int>> idOf = by switch
        {
            SalesBy.Product => d => d.ProductId,
            SalesBy.Outlet => d => d.OutletId,
            _ => d => d.TillId,
        };
        var groups = by == SalesBy.Day
            ? await days.GroupBy(d => d.Day).Select(g => new SalesGroup(g.Key, 0, g.Sum(d => d.SoldQuantity), g.Sum(d => d.ReturnedQuantity),
                g.Sum(d => d.SoldRevenue - d.ReturnedRevenue), g.Sum(d => d.SoldCost - d.ReturnedCost))).ToListAsync(ct)
            : await days.GroupBy(idOf).Select(g => new SalesGroup(DateOnly.MinValue, g.Key, g.Sum(d => d.SoldQuantity), g.Sum(d => d.ReturnedQuantity),
                g.Sum(d => d.SoldRevenue - d.ReturnedRevenue), g.Sum(d => d.SoldCost - d.ReturnedCost))).ToListAsync(ct);

        var labels = await LabelsAsync(by, groups.Select(g => g.Id).Where(id => id != 0).ToList(), ct);
        var rows = groups.Select(g =>
        {
            var day = by == SalesBy.Day ? g.Day : (DateOnly?)null;
            var key = by == SalesBy.Day ? g.Day.ToString("yyyy-MM-dd") : by == SalesBy.Till && g.Id == 0 ? "none" : g.Id.ToString();
            var label = by == SalesBy.Day ? key : by == SalesBy.Till && g.Id == 0 ? "No till" : labels.GetValueOrDefault(g.Id, $"#{g.Id}");
            return new SalesRow(key, label, day, g.Sold - g.Returned, g.Returned, Cents(g.Revenue), Cents(g.Cost));
        });
        return (by == SalesBy.Day ? rows.OrderBy(r => r.Day) : rows.OrderByDescending(r => r.Revenue).ThenBy(r => r.Label)).ToList();
    }

    private sealed record SalesGroup(DateOnly Day, int Id, long Sold, long Returned, double Revenue, double Cost);

    private async Task<Dictionary<int, string>> LabelsAsync(SalesBy by, List<int> ids, CancellationToken ct) => by switch
    {
        SalesBy.Product => await db.Products.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Sku, p.Name }).ToDictionaryAsync(p => p.Id, p => $"{p.Sku} {p.Name}", ct),
        SalesBy.Outlet => await db.Outlets.Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Code, o.Name }).ToDictionaryAsync(o => o.Id, o => $"{o.Code} {o.Name}", ct),
        SalesBy.Till => await db.Tills.Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct),
        _ => [],
    };
}
