using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Sales;

/// <summary>A recorded sale as a till needs it to take goods back: what was sold and what is already returned.</summary>
public sealed record TillSale(Guid SaleId, DateTimeOffset OccurredAt, decimal Total, IReadOnlyList<TillSaleLine> Lines, IReadOnlyList<PaymentRequest> Payments,
    string? Currency, IReadOnlyList<TaxRow> Taxes);

/// <summary>A sold line: <paramref name="Net"/> and <paramref name="Tax"/> are what the whole line charged (a return refunds its share).</summary>
public sealed record TillSaleLine(string Sku, string Name, int Quantity, decimal UnitPrice, int Returned, string TaxCategory, decimal TaxRate, decimal Net, decimal Tax);

/// <summary>End-of-day figures of one till for one day in its outlet's time zone, as the server recorded them.</summary>
/// <paramref name="Taxes"/> are the day's sales per rate, <paramref name="RefundTaxes"/> what its returns took back per rate.
public sealed record TillDayFigures(DateOnly Date, int SalesCount, long ItemsSold, decimal SalesTotal, IReadOnlyDictionary<string, decimal> ByMethod,
    int ReturnsCount, decimal ReturnsTotal, IReadOnlyDictionary<string, decimal> RefundsByMethod, decimal NetTotal,
    string Currency, IReadOnlyList<TaxRow> Taxes, IReadOnlyList<TaxRow> RefundTaxes);

/// <summary>Reads for the till: a sale to return goods from, and the Z report. Each a fixed number of queries.</summary>
public sealed class TillHistory(BackOfficeDb db)
{
    /// <summary>The days a Z report can be asked for: any day a sale could have been recorded, with room for clock trouble.</summary>
    public static readonly DateOnly EarliestDay = new(2000, 1, 1);
    public static readonly DateOnly LatestDay = new(2999, 12, 31);

    /// <summary>A sale of this outlet (any of its tills), or null.</summary>
    public async Task<TillSale?> FindSaleAsync(Guid saleId, int outletId, CancellationToken ct = default)
    {
        var sale = await db.Sales.Where(s => s.Id == saleId && s.OutletId == outletId)
            .Select(s => new { s.OccurredAt, s.OccurredOffsetMinutes, s.Total, s.Currency }).FirstOrDefaultAsync(ct);
        if (sale is null) return null;
        var lines = await db.SaleLines.Where(l => l.SaleId == saleId).OrderBy(l => l.LineNumber)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new { l.ProductId, p.Sku, p.Name, l.Quantity, l.UnitPrice, l.TaxCategory, l.TaxRate, l.Net, l.Tax }).ToListAsync(ct);
        var returned = await ReturnRecorder.ReturnedByProductAsync(db, saleId, ct);
        var payments = await db.SalePayments.Where(p => p.SaleId == saleId).OrderBy(p => p.Id)
            .Select(p => new PaymentRequest(p.Method, p.Amount)).ToListAsync(ct);
        // Returned units are handed out line by line when a sale lists a product twice.
        var left = returned;
        var result = lines.Select(l =>
        {
            var r = Math.Min(left.GetValueOrDefault(l.ProductId), l.Quantity);
            left[l.ProductId] = left.GetValueOrDefault(l.ProductId) - r;
            return new TillSaleLine(l.Sku, l.Name, l.Quantity, Money.Round(l.UnitPrice), r, l.TaxCategory, Tax.Percent(l.TaxRate), Money.Round(l.Net), Money.Round(l.Tax));
        }).ToList();
        var occurred = new DateTimeOffset(DateTime.SpecifyKind(sale.OccurredAt, DateTimeKind.Utc)).ToOffset(TimeSpan.FromMinutes(sale.OccurredOffsetMinutes));
        return new TillSale(saleId, occurred, Money.Round(sale.Total), result, payments, sale.Currency,
            Tax.Rows(lines.Select(l => (l.TaxCategory, l.TaxRate, l.Net, l.Tax))));
    }

    /// <summary>
    /// One till's day: sales, takings by payment method, returns valued at the price paid and refunded by the sale's
    /// own tender (cash unless the sale was paid by card alone), as the till refunds by default.
    /// </summary>
    public async Task<TillDayFigures> DayAsync(int tillId, string timeZoneId, DateOnly date, string currency, CancellationToken ct = default)
    {
        if (date < EarliestDay || date > LatestDay)
            new Problems().Also("date", $"date must be from {EarliestDay:yyyy-MM-dd} to {LatestDay:yyyy-MM-dd}.").ThrowIfAny("The date is out of range.");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var start = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), zone);
        var end = TimeZoneInfo.ConvertTimeToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        var sales = db.Sales.Where(s => s.TillId == tillId && s.OccurredAt >= start && s.OccurredAt < end);

        // Summed in SQL, items as 64-bit: a day of many large sales is a few numbers, never a list of sales.
        var totals = await sales.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Total = g.Sum(s => s.Total) }).FirstOrDefaultAsync(ct);
        var items = await db.SaleLines.Where(l => sales.Any(s => s.Id == l.SaleId)).SumAsync(l => (long)l.Quantity, ct);
        var byMethod = await (from p in db.SalePayments
                              join s in sales on p.SaleId equals s.Id
                              group p by p.Method into g
                              select new { Method = g.Key, Amount = g.Sum(p => p.Amount) }).ToListAsync(ct);
        var returns = await (from rl in db.ReturnLines
                             join r in db.Returns on rl.ReturnId equals r.Id
                             where r.TillId == tillId && r.OccurredAt >= start && r.OccurredAt < end
                             select new
                             {
                                 rl.ReturnId,
                                 Refund = rl.Net + rl.Tax,
                                 CardOnly = db.SalePayments.Any(p => p.SaleId == r.SaleId && p.Method == "card")
                                            && !db.SalePayments.Any(p => p.SaleId == r.SaleId && p.Method != "card"),
                             }).ToListAsync(ct);

        var methods = new Dictionary<string, decimal> { ["cash"] = 0m, ["card"] = 0m };
        foreach (var p in byMethod) methods[p.Method] = methods.GetValueOrDefault(p.Method) + p.Amount;
        var refunds = new Dictionary<string, decimal> { ["cash"] = 0m, ["card"] = 0m };
        foreach (var r in returns) refunds[r.CardOnly ? "card" : "cash"] += r.Refund;
        var salesTotal = Money.Round(totals?.Total ?? 0m);
        var returnsTotal = Money.Round(returns.Sum(r => r.Refund));
        var taxes = await db.SaleLines.Where(l => sales.Any(s => s.Id == l.SaleId)).GroupBy(l => new { l.TaxCategory, l.TaxRate })
            .Select(g => new { g.Key.TaxCategory, g.Key.TaxRate, Net = g.Sum(l => l.Net), Tax = g.Sum(l => l.Tax) }).ToListAsync(ct);
        var refundTaxes = await (from rl in db.ReturnLines
                                 join r in db.Returns on rl.ReturnId equals r.Id
                                 where r.TillId == tillId && r.OccurredAt >= start && r.OccurredAt < end
                                 group rl by new { rl.TaxCategory, rl.TaxRate } into g
                                 select new { g.Key.TaxCategory, g.Key.TaxRate, Net = g.Sum(l => l.Net), Tax = g.Sum(l => l.Tax) }).ToListAsync(ct);
        return new TillDayFigures(date, totals?.Count ?? 0, items, salesTotal,
            methods.ToDictionary(kv => kv.Key, kv => Money.Round(kv.Value)), returns.Select(r => r.ReturnId).Distinct().Count(), returnsTotal,
            refunds.ToDictionary(kv => kv.Key, kv => Money.Round(kv.Value)), Money.Round(salesTotal - returnsTotal), currency,
            Tax.Rows(taxes.Select(t => (t.TaxCategory, t.TaxRate, t.Net, t.Tax))), Tax.Rows(refundTaxes.Select(t => (t.TaxCategory, t.TaxRate, t.Net, t.Tax))));
    }
}
