using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

/// <summary>
/// Stock of one product at one outlet (<see cref="StockValue"/>): <see cref="Value"/> is the sellable stock at cost, the
/// expired stock's cost is <see cref="ExpiredValue"/>; both in <see cref="Currency"/>, the outlet's.
/// </summary>
public sealed record StockValueRow(int OutletId, string OutletCode, int ProductId, string Sku, string ProductName, string Currency,
    int OnHand, int Available, int Expired, decimal Value, decimal ExpiredValue);

/// <summary>An outlet's stock (<see cref="StockValue"/>): value at cost of sellable stock, and of expired stock apart.</summary>
public sealed record OutletStockValue(int OutletId, string OutletCode, string Currency, int OnHand, int Available, int Expired, decimal Value, decimal ExpiredValue);

public sealed record StockValuationReport(ReportPage<StockValueRow> Page, IReadOnlyList<OutletStockValue> ByOutlet)
{
    public int OnHand => ByOutlet.Sum(o => o.OnHand);
    public int Available => ByOutlet.Sum(o => o.Available);
    public int Expired => ByOutlet.Sum(o => o.Expired);
    /// <summary>Sellable stock at cost, per currency.</summary>
    public IReadOnlyList<CurrencyAmount> Value => ByOutlet.ByCurrency(o => o.Currency, o => o.Value);
    /// <summary>Expired stock at cost, per currency.</summary>
    public IReadOnlyList<CurrencyAmount> ExpiredValue => ByOutlet.ByCurrency(o => o.Currency, o => o.ExpiredValue);
}

/// <summary>A batch expiring or expired: its unit cost and value in <see cref="Currency"/>, its outlet's.</summary>
public sealed record ExpiryRow(Guid BatchId, int OutletId, string OutletCode, string Sku, string ProductName, string? LotNumber,
    DateOnly ExpiryDate, int DaysLeft, int OnHand, string Currency, decimal UnitCost, decimal Value);

/// <summary>Value at risk in one currency of the batches expiring in one week from today (week 0: today to day 6).</summary>
public sealed record ExpiryWeek(int Week, DateOnly From, DateOnly To, string Currency, int Batches, int OnHand, decimal Value);

/// <summary>The batches of one section, with their value per currency.</summary>
public sealed record ExpiringReport(ReportPage<ExpiryRow> Page, IReadOnlyList<ExpiryWeek> ByWeek, int Batches, int OnHand, IReadOnlyList<CurrencyAmount> Value);

public enum ExpirySection { Soon = 0, Expired = 1 }

public sealed record ReorderRow(int OutletId, string OutletCode, int ProductId, string Sku, string ProductName, int ReorderLevel,
    int Available, int SoldLast28Days, decimal? DaysOfCover, int SuggestedOrder);

/// <summary>The stock reports: what is on the shelves, what it is worth, what expires, what to order.</summary>
public sealed partial class Reports(BackOfficeDb db, TimeProvider clock, BaseCurrency? baseCurrency = null)
{
    private readonly BaseCurrency _base = baseCurrency ?? BaseCurrency.Gbp;

    public const int DefaultExpiryDays = 30;
    public const int SalesWindowDays = 28;
    public const int CoverTargetDays = 28;

    // ---------- Stock on hand and valuation ----------

    public async Task<StockValuationReport> StockValuationAsync(ReportFilter filter, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        var rows = StockValue.ByProduct(db, days, filter, _base);
        var page = await rows.Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToListAsync(ct);
        var count = await rows.CountAsync(ct);
        var byOutlet = await StockValue.ByOutlet(db, days, filter, _base).ToListAsync(ct);
        return new StockValuationReport(new ReportPage<StockValueRow>(page, count), byOutlet);
    }

    /// <summary>Every (outlet, product) holding stock, ordered by outlet and product name (<see cref="StockValue.ByProduct"/>), streamable.</summary>
    public async Task<IQueryable<StockValueRow>> StockValueRowsAsync(ReportFilter filter, CancellationToken ct = default) =>
        StockValue.ByProduct(db, await db.OutletDaysAsync(clock.GetUtcNow(), ct), filter, _base);

    /// <summary>
    /// Sums of money over many rows are added up as REAL in the database (SQLite's decimal functions cost ~20 µs a row)
    /// and rounded to cents here: a double adds a million cent amounts without an error near a cent.
    /// </summary>
    internal static decimal Cents(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    // ---------- Expiring soon, and expired but not written off ----------

    public async Task<ExpiringReport> ExpiringAsync(ReportFilter filter, ExpirySection section = ExpirySection.Soon, int withinDays = DefaultExpiryDays,
        int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var (batches, days) = await ExpiryBatchesAsync(filter, section, withinDays, ct);
        var page = (await ExpiryRows(batches).Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToListAsync(ct))
            .Select(r => WithDaysLeft(r, days)).ToList();
        // Grouped by outlet (with its currency) and date (at most outlets x horizon rows), then into weeks of each outlet's
        // own today and currencies.
        var byDate = await (from b in batches
                            join o in db.OutletCurrencies(_base) on b.OutletId equals o.Id
                            group b by new { b.OutletId, o.Currency, b.ExpiryDate } into g
                            select new { g.Key.OutletId, g.Key.Currency, g.Key.ExpiryDate, Batches = g.Count(), OnHand = g.Sum(b => b.OnHand), Value = g.Sum(b => b.OnHand * (double)b.UnitCost) })
            .ToListAsync(ct);
        var weeks = byDate.GroupBy(d => (Week: Week(d.ExpiryDate!.Value, days[d.OutletId]), d.Currency))
            .Select(g => new ExpiryWeek(g.Key.Week, MinToday(days).AddDays(7 * g.Key.Week), MinToday(days).AddDays(7 * g.Key.Week + 6), g.Key.Currency,
                g.Sum(d => d.Batches), g.Sum(d => d.OnHand), Cents(g.Sum(d => d.Value))))
            .OrderBy(w => w.Week).ThenBy(w => w.Currency, StringComparer.Ordinal).ToList();
        var value = byDate.GroupBy(d => d.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyAmount(Cents(g.Sum(d => d.Value)), g.Key)).ToList();
        return new ExpiringReport(new ReportPage<ExpiryRow>(page, byDate.Sum(d => d.Batches)), weeks, byDate.Sum(d => d.Batches), byDate.Sum(d => d.OnHand), value);
    }

    /// <summary>The rows of one section in expiry order, streamable.</summary>
    public async IAsyncEnumerable<ExpiryRow> ExpiryRowsAsync(ReportFilter filter, ExpirySection section, int withinDays = DefaultExpiryDays,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var (batches, days) = await ExpiryBatchesAsync(filter, section, withinDays, ct);
        await foreach (var row in ExpiryRows(batches).AsAsyncEnumerable().WithCancellation(ct))
            yield return WithDaysLeft(row, days);
    }

    // Weeks counted from the batch's own outlet's today; expired batches fall in negative weeks.
    private static int Week(DateOnly expiry, DateOnly today) => (int)Math.Floor((expiry.DayNumber - today.DayNumber) / 7.0);

    private static DateOnly MinToday(OutletDays days) => days.All.Count == 0 ? DateOnly.MinValue : days.All.Values.Min();

    // Ordered by date; days left is filled in from each row's own outlet's today after reading.
    private IQueryable<ExpiryRow> ExpiryRows(IQueryable<Batch> batches) =>
        from b in batches
        join o in db.OutletCurrencies(_base) on b.OutletId equals o.Id
        orderby b.ExpiryDate, o.Code, b.Product.Name, b.Id
        select new ExpiryRow(b.Id, b.OutletId, o.Code, b.Product.Sku, b.Product.Name, b.LotNumber, b.ExpiryDate!.Value,
            0, b.OnHand, o.Currency, b.UnitCost, b.OnHand * b.UnitCost);

    private static ExpiryRow WithDaysLeft(ExpiryRow r, OutletDays days) => r with { DaysLeft = r.ExpiryDate.DayNumber - days[r.OutletId].DayNumber };

    private async Task<(IQueryable<Batch>, OutletDays)> ExpiryBatchesAsync(ReportFilter filter, ExpirySection section, int withinDays, CancellationToken ct)
    {
        if (withinDays is < 1 or > 366) throw new ValidationFailedException("The report is not valid.",
            new Dictionary<string, string[]> { ["days"] = ["Choose between 1 and 366 days."] });
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        var batches = db.Batches.Where(b => b.OnHand > 0)
            .Where(section == ExpirySection.Soon ? ExpiryRule.ExpiresWithin(days, withinDays) : ExpiryRule.IsExpired(days));
        if (filter.OutletId is { } outletId) batches = batches.Where(b => b.OutletId == outletId);
        if (filter.ProductSearch is { } search) batches = batches.Where(b => ReportFilters.ProductIds(db, search).Contains(b.ProductId));
        return (batches, days);
    }

    // ---------- Reorder / low stock ----------

    /// <summary>
    /// Active products at or below their reorder level per outlet, with days of cover at the last 28 days' net sales rate
    /// and a suggested order that brings available stock to 28 days of sales, and never below twice the reorder level.
    /// </summary>
    public async Task<ReportPage<ReorderRow>> ReorderAsync(ReportFilter filter, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var rows = await LowStockAsync(filter, ct);
        var count = await rows.CountAsync(ct);
        var page = await rows.Skip(Math.Max(0, skip)).Take(ReportFilters.PageSize(take)).ToListAsync(ct);
        return new ReportPage<ReorderRow>(await WithSalesRateAsync(page, ct), count);
    }

    /// <summary>Every low-stock row with its sales rate, for the CSV: rates are read for a thousand rows at a time.</summary>
    public async IAsyncEnumerable<ReorderRow> ReorderRowsAsync(ReportFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var rows = await LowStockAsync(filter, ct);
        var chunk = new List<ReorderRow>(1000);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            chunk.Add(row);
            if (chunk.Count < 1000) continue;
            foreach (var r in await WithSalesRateAsync(chunk, ct)) yield return r;
            chunk.Clear();
        }
        foreach (var r in await WithSalesRateAsync(chunk, ct)) yield return r;
    }

    private async Task<IQueryable<ReorderRow>> LowStockAsync(ReportFilter filter, CancellationToken ct)
    {
        var days = await db.OutletDaysAsync(clock.GetUtcNow(), ct);
        var sellable = ExpiryRule.IsSellable(days);
        var outlets = db.Outlets.Where(o => filter.OutletId == null || o.Id == filter.OutletId);
        var products = db.Products.Where(p => p.Active);
        if (filter.ProductSearch is { } search) products = products.Where(ProductSearch.Matches(db, search));
        return from x in (from o in outlets
                          from p in products
                          select new
                          {
                              o.Id, o.Code, ProductId = p.Id, p.Sku, p.Name, p.ReorderLevel,
                              Available = db.Batches.Where(b => b.OutletId == o.Id && b.ProductId == p.Id).Where(sellable).Sum(b => b.OnHand)
                          })
               where x.Available <= x.ReorderLevel
               orderby x.Code, x.Name, x.Sku
               select new ReorderRow(x.Id, x.Code, x.ProductId, x.Sku, x.Name, x.ReorderLevel, x.Available, 0, null, 0);
    }

    // Net units sold per (outlet, product) of the rows, in one grouped query per list of rows.
    private async Task<List<ReorderRow>> WithSalesRateAsync(IReadOnlyList<ReorderRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-SalesWindowDays);
        var productIds = rows.Select(r => r.ProductId).Distinct().ToList();
        var outletIds = rows.Select(r => r.OutletId).Distinct().ToList();
        var sold = await (from l in db.SaleLines
                          join s in db.Sales on l.SaleId equals s.Id
                          where s.OccurredAt >= since && outletIds.Contains(s.OutletId) && productIds.Contains(l.ProductId)
                          group l by new { s.OutletId, l.ProductId } into g
                          select new { g.Key.OutletId, g.Key.ProductId, Quantity = g.Sum(l => l.Quantity) })
            .ToDictionaryAsync(x => (x.OutletId, x.ProductId), x => x.Quantity, ct);
        var returned = await (from l in db.ReturnLines
                              join r in db.Returns on l.ReturnId equals r.Id
                              where r.OccurredAt >= since && outletIds.Contains(r.OutletId) && productIds.Contains(l.ProductId)
                              group l by new { r.OutletId, l.ProductId } into g
                              select new { g.Key.OutletId, g.Key.ProductId, Quantity = g.Sum(l => l.Quantity) })
            .ToDictionaryAsync(x => (x.OutletId, x.ProductId), x => x.Quantity, ct);
        return rows.Select(r =>
        {
            var net = Math.Max(0, sold.GetValueOrDefault((r.OutletId, r.ProductId)) - returned.GetValueOrDefault((r.OutletId, r.ProductId)));
            decimal? cover = net == 0 ? null : decimal.Round(Math.Max(0, r.Available) * (decimal)SalesWindowDays / net, 1);
            var target = Math.Max(2 * r.ReorderLevel, (int)Math.Ceiling(net * (double)CoverTargetDays / SalesWindowDays));
            return r with { SoldLast28Days = net, DaysOfCover = cover, SuggestedOrder = Math.Max(0, target - Math.Max(0, r.Available)) };
        }).ToList();
    }
}
