using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

/// <summary>Tax on receipts, returns and the Z report, against receipts worked out by hand (api.md, "Money").</summary>
public sealed class TaxTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly Shop _shop;

    public TaxTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    /// <summary>The hand-worked lines the till's node tests check too: one rule, two implementations, one table.</summary>
    public static TheoryData<string, decimal, decimal, bool, string, decimal, decimal> HandWorkedLines()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BackOffice.sln"))) dir = dir.Parent;
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "tests", "shared", "tax-cases.json")));
        var data = new TheoryData<string, decimal, decimal, bool, string, decimal, decimal>();
        foreach (var c in json.RootElement.GetProperty("lines").EnumerateArray())
            data.Add(c.GetProperty("why").GetString()!, c.GetProperty("amount").GetDecimal(), c.GetProperty("rate").GetDecimal(), c.GetProperty("inclusive").GetBoolean(),
                c.GetProperty("currency").GetString()!, c.GetProperty("net").GetDecimal(), c.GetProperty("tax").GetDecimal());
        return data;
    }

    [Theory]
    [MemberData(nameof(HandWorkedLines))]
    public void A_lines_tax_is_rounded_half_away_from_zero_to_the_minor_unit(string why, decimal amount, decimal rate, bool inclusive, string currency, decimal net, decimal tax)
    {
        Tax.OfLine(amount, rate, inclusive, currency).ShouldBe(new LineTax(net, tax), why);
    }

    [Fact]
    public void Returning_every_unit_in_steps_refunds_exactly_what_the_line_charged()
    {
        var sold = new LineTax(10.47m, 0.93m);
        var first = Tax.Refund(sold, 3, 0, 1, "USD");
        var second = Tax.Refund(sold, 3, 1, 1, "USD");
        var third = Tax.Refund(sold, 3, 2, 1, "USD");
        first.ShouldBe(new LineTax(3.49m, 0.31m));
        (first.Net + second.Net + third.Net).ShouldBe(10.47m);
        (first.Tax + second.Tax + third.Tax).ShouldBe(0.93m);
    }

    [Fact]
    public async Task A_tax_inclusive_receipt_has_a_row_per_rate_and_a_category_without_a_rate_is_standard()
    {
        var paris = await OutletAsync("PAR-01", "EUR", inclusive: true, ("standard", 20m), ("medicines", 2.1m), ("vitamins", 5.5m));
        await ProductAsync(paris, "PARA-500", "medicines");
        await ProductAsync(paris, "VITC-1G", "vitamins");
        await ProductAsync(paris, "COTTON-100", "cosmetics");
        await using var db = _database.Open();
        var request = new SaleRequest(Guid.NewGuid(), Shop.SoldAt,
            [new SaleLineRequest("PARA-500", 2, 3.49m), new SaleLineRequest("VITC-1G", 1, 8.99m), new SaleLineRequest("COTTON-100", 1, 12.00m)],
            [new PaymentRequest("card", 27.97m)]);

        var sale = (await Recorder(db).RecordSaleAsync(request, new Counter(paris.Id))).Sale;

        sale.Total.ShouldBe(27.97m);
        sale.Currency.ShouldBe("EUR");
        sale.Taxes.ShouldBe([
            new TaxRow("cosmetics", 20m, 10.00m, 2.00m, 12.00m),   // 12 × 20/120
            new TaxRow("vitamins", 5.5m, 8.52m, 0.47m, 8.99m),      // 8.99 × 5.5/105.5 = 0.4687
            new TaxRow("medicines", 2.1m, 6.84m, 0.14m, 6.98m),     // 6.98 × 2.1/102.1 = 0.1436
        ]);
        // The sales report: revenue net of tax, the tax, and what customers paid.
        var report = await new Core.Reporting.Reports(db, _clock).SalesAsync(new Core.Reporting.ReportFilter(), Core.Reporting.SalesBy.Outlet);
        report.Totals.Select(t => (t.Currency, t.Revenue, t.Tax, t.Gross)).ShouldBe([("EUR", 25.36m, 2.61m, 27.97m)]);
        // A replay answers the same rows, read back from the stored lines.
        var replay = (await Recorder(db).RecordSaleAsync(request, new Counter(paris.Id))).Sale;
        replay.Taxes.ShouldBe(sale.Taxes);
        replay.Total.ShouldBe(27.97m);
    }

    [Fact]
    public async Task A_tax_exclusive_sale_adds_the_tax_and_its_payments_must_cover_it()
    {
        var nyc = await OutletAsync("NYC-01", "USD", inclusive: false, ("standard", 8.875m), ("medicines", 0m));
        await ProductAsync(nyc, "TOOTHBRUSH", "standard");
        await ProductAsync(nyc, "IBU-200", "medicines");
        await using var db = _database.Open();
        SaleRequest Sale(decimal paid, string method) => new(Guid.NewGuid(), Shop.SoldAt,
            [new SaleLineRequest("TOOTHBRUSH", 2, 3.49m), new SaleLineRequest("IBU-200", 1, 5.00m)], [new PaymentRequest(method, paid)]);

        // The shelf prices alone (11.98) do not cover the 0.62 of sales tax: refused, nothing written.
        var short_ = await Should.ThrowAsync<ValidationFailedException>(() => Recorder(db).RecordSaleAsync(Sale(11.98m, "cash"), new Counter(nyc.Id)));
        short_.Errors.Keys.ShouldContain("payments");
        (await db.Sales.CountAsync()).ShouldBe(0);

        // A card paying the total with tax is not "more than the total".
        var sale = (await Recorder(db).RecordSaleAsync(Sale(12.60m, "card"), new Counter(nyc.Id))).Sale;
        sale.Total.ShouldBe(12.60m);
        sale.Taxes.ShouldBe([new TaxRow("standard", 8.875m, 6.98m, 0.62m, 7.60m), new TaxRow("medicines", 0m, 5.00m, 0m, 5.00m)]);
    }

    [Fact]
    public async Task A_returned_line_refunds_its_own_tax_and_the_z_report_gives_both_per_rate()
    {
        var nyc = await OutletAsync("NYC-01", "USD", inclusive: false, ("standard", 8.875m), ("medicines", 0m));
        await ProductAsync(nyc, "TOOTHBRUSH", "standard");
        await ProductAsync(nyc, "IBU-200", "medicines");
        await using var db = _database.Open();
        db.Tills.Add(new Core.Tills.Till { OutletId = nyc.Id, Name = "Till 1", TokenHash = "x", CreatedAt = _clock.Now.UtcDateTime });
        await db.SaveChangesAsync();
        var till = await db.Tills.SingleAsync();
        var counter = new Counter(nyc.Id, till.Id);
        var sale = (await Recorder(db).RecordSaleAsync(new SaleRequest(Guid.NewGuid(), Shop.SoldAt,
            [new SaleLineRequest("TOOTHBRUSH", 3, 3.49m), new SaleLineRequest("IBU-200", 1, 5.00m)], [new PaymentRequest("cash", 20m)]), counter)).Sale;
        sale.Total.ShouldBe(16.40m); // 10.47 + 0.93 (10.47 × 0.08875 = 0.9292) + 5.00

        var returns = new ReturnRecorder(db, _clock, NoStockChangeNotifier.Instance);
        var first = (await returns.RecordReturnAsync(new ReturnRequest(Guid.NewGuid(), sale.SaleId, Shop.SoldAt.AddMinutes(5),
            [new ReturnLineRequest("TOOTHBRUSH", 1), new ReturnLineRequest("IBU-200", 1)]), counter)).Return;
        first.Total.ShouldBe(8.80m); // 3.49 + 0.31 (a third of 0.93) + 5.00
        first.Taxes.ShouldBe([new TaxRow("standard", 8.875m, 3.49m, 0.31m, 3.80m), new TaxRow("medicines", 0m, 5.00m, 0m, 5.00m)]);
        var rest = (await returns.RecordReturnAsync(new ReturnRequest(Guid.NewGuid(), sale.SaleId, Shop.SoldAt.AddMinutes(6),
            [new ReturnLineRequest("TOOTHBRUSH", 2)]), counter)).Return;
        rest.Taxes.ShouldBe([new TaxRow("standard", 8.875m, 6.98m, 0.62m, 7.60m)]);
        (first.Total + rest.Total).ShouldBe(sale.Total); // everything back: exactly what was paid
        var report = await new Core.Reporting.Reports(db, _clock).SalesAsync(new Core.Reporting.ReportFilter(), Core.Reporting.SalesBy.Outlet);
        report.Totals.Select(t => (t.Revenue, t.Tax, t.Gross)).ShouldBe([(0m, 0m, 0m)], "all returned: nothing sold, no tax owed");

        var day = await new TillHistory(db).DayAsync(till.Id, "America/New_York", DateOnly.FromDateTime(Shop.SoldAt.UtcDateTime), "USD");
        day.Currency.ShouldBe("USD");
        day.SalesTotal.ShouldBe(16.40m);
        day.ReturnsTotal.ShouldBe(16.40m);
        day.Taxes.ShouldBe(sale.Taxes);
        day.RefundTaxes.ShouldBe([new TaxRow("standard", 8.875m, 10.47m, 0.93m, 11.40m), new TaxRow("medicines", 0m, 5.00m, 0m, 5.00m)]);
    }

    private SaleRecorder Recorder(Core.Data.BackOfficeDb db) => new(db, _clock, NoStockChangeNotifier.Instance);

    private async Task<Outlet> OutletAsync(string code, string currency, bool inclusive, params (string Category, decimal Rate)[] rates)
    {
        await using var db = _database.Open();
        var outlet = new Outlet
        {
            Code = code, Name = code, TimeZoneId = "Etc/UTC", Currency = currency, Culture = "en-GB", PricesIncludeTax = inclusive,
            TaxRates = rates.Select(r => new OutletTaxRate { Category = r.Category, RatePercent = r.Rate }).ToList(),
        };
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        return outlet;
    }

    private async Task ProductAsync(Outlet outlet, string sku, string category)
    {
        var product = await _shop.ProductAsync(sku);
        await using (var db = _database.Open())
        {
            await db.Products.Where(p => p.Id == product.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.TaxCategory, category));
        }
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(200));
    }
}
