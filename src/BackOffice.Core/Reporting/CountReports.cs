using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.StockTakes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public sealed record DiscrepancyRow(int OutletId, string OutletCode, int ProductId, string Sku, string ProductName,
    int ShortfallUnits, int RejectedReturnUnits, int Count, int Open, DateTime First, DateTime Last);

/// <summary>Units short per outlet and day (the outlet's calendar day).</summary>
public sealed record DiscrepancyDay(DateOnly Day, string OutletCode, int Units);

public sealed record DiscrepancyReport(ReportPage<DiscrepancyRow> Page, IReadOnlyList<DiscrepancyDay> ByDay, int ShortfallUnits, int RejectedReturnUnits);

/// <summary>A product's variance in one stock take, valued in <see cref="Currency"/>, the outlet's.</summary>
public sealed record VarianceRow(int StockTakeId, string OutletCode, DateTime OpenedAt, StockTakeStatus Status, int ProductId, string Sku, string ProductName,
    int Expected, int Counted, string Currency, decimal Value)
{
    public int Variance => Counted - Expected;
}

/// <summary>Variance of one stock take, all products, valued in its outlet's currency.</summary>
public sealed record VarianceTake(int StockTakeId, string OutletCode, DateTime OpenedAt, int Variance, string Currency, decimal Value);

public sealed record VarianceReport(ReportPage<VarianceRow> Page, IReadOnlyList<VarianceTake> ByTake);

/// <summary>A counted stock-take line with the unit cost it is valued at.</summary>
public sealed class VarianceFact
{
    public int StockTakeId { get; set; }
    public int ProductId { get; set; }
    public int Expected { get; set; }
    public int Counted { get; set; }
    public int NoLotVariance { get; set; }
    public decimal LotValue { get; set; }
}

/// <summary>A product's variance in one stock take, before ordering.</summary>
public sealed class VarianceLine
{
    public int StockTakeId { get; set; }
    public string OutletCode { get; set; } = "";
    public DateTime OpenedAt { get; set; }
    public StockTakeStatus Status { get; set; }
    public int ProductId { get; set; }
    public string Sku { get; set; } = "";
    public string ProductName { get; set; } = "";
    public int Expected { get; set; }
    public int Counted { get; set; }
    public string Currency { get; set; } = "";
    public decimal Value { get; set; }
}

public sealed partial class Reports
{
    // ---------- Discrepancies ----------

    public async Task<DiscrepancyReport> DiscrepanciesAsync(ReportFilter filter, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var found = await DiscrepanciesInAsync(filter, ct);
        var rows = DiscrepancyRows(found);
        var page = await rows.Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToListAsync(ct);
        var count = await rows.CountAsync(ct);
        var totals = await found.GroupBy(d => d.Kind).Select(g => new { Kind = g.Key, Units = g.Sum(d => d.Quantity) }).ToDictionaryAsync(x => x.Kind, x => x.Units, ct);

        // By outlet and UTC hour in SQL (bounded by hours, not by rows), then onto each outlet's own calendar day.
        var byHour = await found.GroupBy(d => new { d.OutletId, Hour = d.CreatedAt.Date.AddHours(d.CreatedAt.Hour) })
            .Select(g => new { g.Key.OutletId, g.Key.Hour, Units = g.Sum(d => d.Quantity) }).ToListAsync(ct);
        var outlets = await db.Outlets.Select(o => new { o.Id, o.Code, o.TimeZoneId }).ToDictionaryAsync(o => o.Id, ct);
        var byDay = byHour.GroupBy(h => (Day: ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(outlets[h.OutletId].TimeZoneId),
                    new DateTimeOffset(DateTime.SpecifyKind(h.Hour, DateTimeKind.Utc))), outlets[h.OutletId].Code))
            .Select(g => new DiscrepancyDay(g.Key.Day, g.Key.Code, g.Sum(h => h.Units))).OrderBy(d => d.Day).ThenBy(d => d.OutletCode).ToList();
        return new DiscrepancyReport(new ReportPage<DiscrepancyRow>(page, count), byDay,
            totals.GetValueOrDefault(DiscrepancyKind.SaleShortfall), totals.GetValueOrDefault(DiscrepancyKind.ReturnRejected));
    }

    /// <summary>Shortfalls per outlet and product, most units first: one grouped query, streamable.</summary>
    public async Task<IQueryable<DiscrepancyRow>> DiscrepancyRowsAsync(ReportFilter filter, CancellationToken ct = default) =>
        DiscrepancyRows(await DiscrepanciesInAsync(filter, ct));

    private IQueryable<DiscrepancyRow> DiscrepancyRows(IQueryable<Discrepancy> found) =>
        from g in found.GroupBy(d => new { d.OutletId, d.ProductId }).Select(g => new
        {
            g.Key.OutletId, g.Key.ProductId,
            Shortfall = g.Sum(d => d.Kind == DiscrepancyKind.SaleShortfall ? d.Quantity : 0),
            Rejected = g.Sum(d => d.Kind == DiscrepancyKind.ReturnRejected ? d.Quantity : 0),
            Count = g.Count(),
            Open = g.Sum(d => d.Status == DiscrepancyStatus.Open ? 1 : 0),
            First = g.Min(d => d.CreatedAt),
            Last = g.Max(d => d.CreatedAt),
        })
        join o in db.Outlets on g.OutletId equals o.Id
        join p in db.Products on g.ProductId equals p.Id
        orderby g.Shortfall + g.Rejected descending, o.Code, p.Name
        select new DiscrepancyRow(g.OutletId, o.Code, g.ProductId, p.Sku, p.Name, g.Shortfall, g.Rejected, g.Count, g.Open, g.First, g.Last);

    private async Task<IQueryable<Discrepancy>> DiscrepanciesInAsync(ReportFilter filter, CancellationToken ct)
    {
        filter.Validate();
        var found = db.Discrepancies.AsQueryable();
        if (filter.OutletId is { } outletId) found = found.Where(d => d.OutletId == outletId);
        if (filter.ProductSearch is { } search) found = found.Where(d => ReportFilters.ProductIds(db, search).Contains(d.ProductId));
        return found.WhereIf(await ReportFilters.WithinDaysAsync<Discrepancy>(db, filter, d => d.OutletId, d => d.CreatedAt, ct));
    }

    // ---------- Stock-take variance ----------

    /// <summary>
    /// Counted against expected per stock take and product (counted lines of open and posted takes; cancelled takes are
    /// left out), valued at the counted batch's unit cost, or for counts without a lot at the product's average unit cost
    /// at the outlet. Filtering by product shows its history across takes.
    /// </summary>
    public async Task<VarianceReport> VarianceAsync(ReportFilter filter, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        // The totals of every take, with how many product lines each has: the chart, the row count, and which takes the
        // page falls in. Only those takes' lines are then grouped for the page, not every line of every take.
        var takes = await (await VarianceLinesAsync(filter, null, ct)).GroupBy(r => new { r.StockTakeId, r.OutletCode, r.OpenedAt, r.Currency })
            .Select(g => new { g.Key.StockTakeId, g.Key.OutletCode, g.Key.OpenedAt, g.Key.Currency, Variance = g.Sum(r => r.Counted - r.Expected), Value = g.Sum(r => r.Value), Lines = g.Count() })
            .ToListAsync(ct);
        var first = Math.Max(0, skip);
        var size = ReportFilters.PageSize(take);
        var onPage = new List<int>();
        var offset = 0;
        var linesBefore = 0;
        // In the rows' own order (newest take first); a take's rows are contiguous, so the page is a run of takes.
        foreach (var t in takes.OrderByDescending(t => t.OpenedAt).ThenByDescending(t => t.StockTakeId))
        {
            var start = linesBefore;
            linesBefore += t.Lines;
            if (linesBefore <= first) continue;
            if (start >= first + size) break;
            if (onPage.Count == 0) offset = first - start;
            onPage.Add(t.StockTakeId);
        }
        var page = onPage.Count == 0 ? []
            : await AsRows(await VarianceLinesAsync(filter, onPage, ct)).Skip(offset).Take(size).ToListAsync(ct);
        var byTake = takes.Select(t => new VarianceTake(t.StockTakeId, t.OutletCode, t.OpenedAt, t.Variance, t.Currency, t.Value))
            .OrderBy(t => t.OpenedAt).ThenBy(t => t.StockTakeId).ToList();
        return new VarianceReport(new ReportPage<VarianceRow>(page, takes.Sum(t => t.Lines)), byTake);
    }

    public async Task<IQueryable<VarianceRow>> VarianceRowsAsync(ReportFilter filter, CancellationToken ct = default) =>
        AsRows(await VarianceLinesAsync(filter, null, ct));

    private static IQueryable<VarianceRow> AsRows(IQueryable<VarianceLine> lines) => lines
        .OrderByDescending(l => l.OpenedAt).ThenByDescending(l => l.StockTakeId).ThenBy(l => l.ProductName)
        .Select(l => new VarianceRow(l.StockTakeId, l.OutletCode, l.OpenedAt, l.Status, l.ProductId, l.Sku, l.ProductName, l.Expected, l.Counted, l.Currency, l.Value));

    /// <summary>The variance lines of the filter's takes (or only of <paramref name="takeIds"/> among them).</summary>
    private async Task<IQueryable<VarianceLine>> VarianceLinesAsync(ReportFilter filter, List<int>? takeIds, CancellationToken ct)
    {
        filter.Validate();
        var takes = db.StockTakes.Where(t => t.Status != StockTakeStatus.Cancelled);
        if (takeIds is not null) takes = takes.Where(t => takeIds.Contains(t.Id));
        if (filter.OutletId is { } outletId) takes = takes.Where(t => t.OutletId == outletId);
        takes = takes.WhereIf(await ReportFilters.WithinDaysAsync<StockTake>(db, filter, t => t.OutletId, t => t.OpenedAt, ct));
        var lines = db.StockTakeLines.Where(l => l.Counted != null);
        if (filter.ProductSearch is { } search) lines = lines.Where(l => ReportFilters.ProductIds(db, search).Contains(l.ProductId));
        // Averaged as REAL (SQLite's decimal functions cost ~20 µs a row), over the batches of the takes' outlets only.
        var averageCost = db.Batches.Where(b => takes.Select(t => t.OutletId).Contains(b.OutletId))
            .GroupBy(b => new { b.OutletId, b.ProductId })
            .Select(g => new { g.Key.OutletId, g.Key.ProductId, Cost = g.Average(b => (double)b.UnitCost) });

        // Lines with a lot are valued at its cost inside the sums; the variance counted without a lot is valued after grouping.
        var facts = from l in lines
                    join t in takes on l.StockTakeId equals t.Id
                    join b in db.Batches on l.BatchId equals (Guid?)b.Id into lot
                    from b in lot.DefaultIfEmpty()
                    select new VarianceFact
                    {
                        StockTakeId = l.StockTakeId, ProductId = l.ProductId, Expected = l.Expected, Counted = l.Counted!.Value,
                        NoLotVariance = l.BatchId == null ? l.Counted!.Value - l.Expected : 0,
                        LotValue = (l.Counted!.Value - l.Expected) * ((decimal?)b.UnitCost ?? 0m),
                    };
        return from g in facts.GroupBy(f => new { f.StockTakeId, f.ProductId })
                   .Select(g => new
                   {
                       g.Key.StockTakeId, g.Key.ProductId, Expected = g.Sum(f => f.Expected), Counted = g.Sum(f => f.Counted),
                       NoLotVariance = g.Sum(f => f.NoLotVariance), LotValue = g.Sum(f => f.LotValue)
                   })
               join t in db.StockTakes on g.StockTakeId equals t.Id
               join o in db.OutletCurrencies(_base) on t.OutletId equals o.Id
               join p in db.Products on g.ProductId equals p.Id
               join c in averageCost on new { t.OutletId, g.ProductId } equals new { c.OutletId, c.ProductId } into avg
               from c in avg.DefaultIfEmpty()
               select new VarianceLine
               {
                   StockTakeId = t.Id, OutletCode = o.Code, OpenedAt = t.OpenedAt, Status = t.Status, ProductId = p.Id, Sku = p.Sku, ProductName = p.Name,
                   Expected = g.Expected, Counted = g.Counted, Currency = o.Currency, Value = g.LotValue + g.NoLotVariance * (decimal)((double?)c.Cost ?? 0),
               };
    }
}
