using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public enum SalesBy { Day = 0, Product = 1, Outlet = 2, Till = 3 }

/// <summary>
/// Net sales of one group in one currency: units, revenue (net of tax) and tax of sales less returns; cost at the unit
/// cost of the batches the units came from (and went back to); margin = revenue - cost. Units sold short (no batch) carry
/// no cost. A group with sales in several currencies (a day, a product) has a row per currency.
/// </summary>
public sealed record SalesRow(string Key, string Label, DateOnly? Day, string Currency, long Quantity, long ReturnedQuantity, decimal Revenue, decimal Tax, decimal Cost)
{
    /// <summary>What the customers paid: revenue and tax.</summary>
    public decimal Gross => Revenue + Tax;
    public decimal Margin => Revenue - Cost;
    public decimal? MarginPercent => Revenue == 0 ? null : decimal.Round(100 * Margin / Revenue, 1);
}

/// <summary>The sales of one currency over the whole report.</summary>
public sealed record SalesTotal(string Currency, long Quantity, decimal Revenue, decimal Tax, decimal Cost)
{
    public decimal Gross => Revenue + Tax;
    public decimal Margin => Revenue - Cost;
}

public sealed record SalesReport(ReportPage<SalesRow> Page, long Quantity, IReadOnlyList<SalesTotal> Totals)
{
    /// <summary>A page of the rows, with the totals of all of them (the groups, already summed in SQL) per currency.</summary>
    public static SalesReport Of(IReadOnlyList<SalesRow> rows, int skip, int take) =>
        new(new ReportPage<SalesRow>(rows.Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToList(), rows.Count), rows.Sum(r => r.Quantity),
            rows.GroupBy(r => r.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new SalesTotal(g.Key, g.Sum(r => r.Quantity), g.Sum(r => r.Revenue), g.Sum(r => r.Tax), g.Sum(r => r.Cost))).ToList());
}

/// <summary>A daily total with its outlet's currency, before grouping.</summary>
public sealed class SalesFact
{
    public DateOnly Day { get; set; }
    public int ProductId { get; set; }
    public int OutletId { get; set; }
    public int TillId { get; set; }
    public string Currency { get; set; } = "";
    public long Sold { get; set; }
    public long Returned { get; set; }
    /// <summary>Net of tax.</summary>
    public double Revenue { get; set; }
    public double Tax { get; set; }
    public double Cost { get; set; }
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
        return SalesReport.Of(await SalesRowsAsync(filter, by, ct), skip, take);
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

        // Grouped by the report's key and the outlet's currency: money of different currencies is never added up.
        var facts = from d in days
                    join o in db.OutletCurrencies(_base) on d.OutletId equals o.Id
                    select new SalesFact
                    {
                        Day = d.Day, ProductId = d.ProductId, OutletId = d.OutletId, TillId = d.TillId, Currency = o.Currency,
                        Sold = d.SoldQuantity, Returned = d.ReturnedQuantity, Revenue = d.SoldNet - d.ReturnedNet, Tax = d.SoldTax - d.ReturnedTax, Cost = d.SoldCost - d.ReturnedCost,
                    };
        var groups = by switch
        {
            SalesBy.Day => await facts.GroupBy(f => new { f.Day, f.Currency }).Select(g => new SalesGroup(g.Key.Day, 0, g.Key.Currency,
                g.Sum(f => f.Sold), g.Sum(f => f.Returned), g.Sum(f => f.Revenue), g.Sum(f => f.Tax), g.Sum(f => f.Cost))).ToListAsync(ct),
            SalesBy.Product => await facts.GroupBy(f => new { f.ProductId, f.Currency }).Select(g => new SalesGroup(DateOnly.MinValue, g.Key.ProductId, g.Key.Currency,
                g.Sum(f => f.Sold), g.Sum(f => f.Returned), g.Sum(f => f.Revenue), g.Sum(f => f.Tax), g.Sum(f => f.Cost))).ToListAsync(ct),
            SalesBy.Outlet => await facts.GroupBy(f => new { f.OutletId, f.Currency }).Select(g => new SalesGroup(DateOnly.MinValue, g.Key.OutletId, g.Key.Currency,
                g.Sum(f => f.Sold), g.Sum(f => f.Returned), g.Sum(f => f.Revenue), g.Sum(f => f.Tax), g.Sum(f => f.Cost))).ToListAsync(ct),
            _ => await facts.GroupBy(f => new { f.TillId, f.Currency }).Select(g => new SalesGroup(DateOnly.MinValue, g.Key.TillId, g.Key.Currency,
                g.Sum(f => f.Sold), g.Sum(f => f.Returned), g.Sum(f => f.Revenue), g.Sum(f => f.Tax), g.Sum(f => f.Cost))).ToListAsync(ct),
        };

        var labels = await LabelsAsync(by, groups.Select(g => g.Id).Where(id => id != 0).ToList(), ct);
        var rows = groups.Select(g =>
        {
            var day = by == SalesBy.Day ? g.Day : (DateOnly?)null;
            var key = by == SalesBy.Day ? g.Day.ToString("yyyy-MM-dd") : by == SalesBy.Till && g.Id == 0 ? "none" : g.Id.ToString();
            var label = by == SalesBy.Day ? key : by == SalesBy.Till && g.Id == 0 ? "No till" : labels.GetValueOrDefault(g.Id, $"#{g.Id}");
            return new SalesRow(key, label, day, g.Currency, g.Sold - g.Returned, g.Returned, Cents(g.Revenue), Cents(g.Tax), Cents(g.Cost));
        });
        return (by == SalesBy.Day ? rows.OrderBy(r => r.Day).ThenBy(r => r.Currency, StringComparer.Ordinal)
            : rows.OrderBy(r => r.Currency, StringComparer.Ordinal).ThenByDescending(r => r.Revenue).ThenBy(r => r.Label)).ToList();
    }

    private sealed record SalesGroup(DateOnly Day, int Id, string Currency, long Sold, long Returned, double Revenue, double Tax, double Cost);

    private async Task<Dictionary<int, string>> LabelsAsync(SalesBy by, List<int> ids, CancellationToken ct) => by switch
    {
        SalesBy.Product => await db.Products.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Sku, p.Name }).ToDictionaryAsync(p => p.Id, p => $"{p.Sku} {p.Name}", ct),
        SalesBy.Outlet => await db.Outlets.Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Code, o.Name }).ToDictionaryAsync(o => o.Id, o => $"{o.Code} {o.Name}", ct),
        SalesBy.Till => await db.Tills.Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct),
        _ => [],
    };
}
