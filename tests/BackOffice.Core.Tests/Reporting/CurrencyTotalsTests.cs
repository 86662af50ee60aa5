using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Reporting;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>
/// A London outlet in pounds and a Paris one in euros (and an old outlet with no currency, counted in the base currency):
/// every report and the dashboard total each currency apart, never one sum over them, in as many commands as with one.
/// LDN: 10 @2.00 sellable (8 left after its sale), 4 @1.00 expired · PAR: 20 @3.00 sellable, expiring 12-10 · OLD (no currency): 5 @1.00
/// Sales on 11-20: LDN 2 × 2.50, PAR 4 × 2.50 · a posted take at PAR: one unit short of the 3.00 batch.
/// </summary>
public sealed class CurrencyTotalsTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private Outlet _london = null!, _paris = null!;

    public async Task InitializeAsync()
    {
        var shop = new Shop(_database, _clock);
        _london = await shop.OutletAsync("LDN", "Europe/London");
        _paris = await shop.OutletAsync("PAR", "Europe/Paris");
        var old = await shop.OutletAsync("OLD", "Europe/London");
        await using (var db = _database.Open())
        {
            await db.Outlets.Where(o => o.Id == _london.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Currency, "GBP").SetProperty(o => o.Culture, "en-GB"));
            await db.Outlets.Where(o => o.Id == _paris.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Currency, "EUR").SetProperty(o => o.Culture, "fr-FR"));
        }
        var asp = await shop.ProductAsync("ASP");
        await shop.BatchAsync(_london, asp, 10, shop.Today.AddDays(200), unitCost: 2.00m);
        await shop.BatchAsync(_london, asp, 4, shop.Today.AddDays(-1), unitCost: 1.00m);
        var paris = await shop.BatchAsync(_paris, asp, 20, shop.Today.AddDays(16), unitCost: 3.00m);
        await shop.BatchAsync(old, asp, 5, null, unitCost: 1.00m);
        await using (var db = _database.Open())
        {
            var sales = new SaleRecorder(db, _clock, new RecordingNotifier());
            await sales.RecordSaleAsync(Shop.Sale(("ASP", 2)), new Counter(_london.Id));
            await sales.RecordSaleAsync(Shop.Sale(("ASP", 4)), new Counter(_paris.Id));
            var take = new StockTake { OutletId = _paris.Id, Status = StockTakeStatus.Posted, OpenedAt = Shop.SoldAt.UtcDateTime, SnapshotAt = Shop.SoldAt.UtcDateTime };
            db.StockTakes.Add(take);
            await db.SaveChangesAsync();
            db.StockTakeLines.Add(new StockTakeLine { StockTakeId = take.Id, ProductId = asp.Id, BatchId = paris.Id, Expected = 16, Counted = 15 });
            await db.SaveChangesAsync();
        }
    }

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Stock_value_is_per_currency_on_the_stock_report_and_the_dashboard_alike()
    {
        await using var db = _database.Open();
        var report = await new Reports(db, _clock).StockValuationAsync(new ReportFilter());
        report.ByOutlet.Select(o => (o.OutletCode, o.Currency, o.Value, o.ExpiredValue)).ShouldBe(
            [("LDN", "GBP", 16.00m, 4.00m), ("OLD", "GBP", 5.00m, 0m), ("PAR", "EUR", 48.00m, 0m)]);
        report.Value.ShouldBe([new CurrencyAmount(48.00m, "EUR"), new CurrencyAmount(21.00m, "GBP")]);
        report.ExpiredValue.ShouldBe([new CurrencyAmount(0m, "EUR"), new CurrencyAmount(4.00m, "GBP")]);
        report.Page.Rows.Select(r => (r.OutletCode, r.Currency)).ShouldBe([("LDN", "GBP"), ("OLD", "GBP"), ("PAR", "EUR")]);

        // The dashboard's stock value is the stock report's: sellable at cost, expired apart, per currency.
        var figures = await new Dashboard(db, _clock).OutletFiguresAsync();
        figures.Select(f => (f.Code, f.Currency, f.StockValue, f.ExpiredValue)).ShouldBe(report.ByOutlet.Select(o => (o.OutletCode, o.Currency, o.Value, o.ExpiredValue)));
        var (value, expired) = Dashboard.Totals(figures);
        value.ShouldBe(report.Value);
        expired.ShouldBe(report.ExpiredValue);
    }

    [Fact]
    public async Task A_base_currency_other_than_pounds_takes_the_outlets_without_one()
    {
        await using var db = _database.Open();
        var report = await new Reports(db, _clock, new BaseCurrency("EUR")).StockValuationAsync(new ReportFilter());
        report.Value.ShouldBe([new CurrencyAmount(53.00m, "EUR"), new CurrencyAmount(16.00m, "GBP")]);
    }

    [Fact]
    public async Task Expiry_sales_and_variance_total_each_currency_apart()
    {
        await using var db = _database.Open();
        var reports = new Reports(db, _clock);
        var soon = await reports.ExpiringAsync(new ReportFilter());
        soon.Page.Rows.Select(r => (r.OutletCode, r.Currency, r.Value)).ShouldBe([("PAR", "EUR", 48.00m)]);
        soon.Value.ShouldBe([new CurrencyAmount(48.00m, "EUR")]);
        soon.ByWeek.Select(w => (w.Week, w.Currency, w.Value)).ShouldBe([(2, "EUR", 48.00m)]);
        var expired = await reports.ExpiringAsync(new ReportFilter(), ExpirySection.Expired);
        expired.Value.ShouldBe([new CurrencyAmount(4.00m, "GBP")]);

        // One day, two currencies: a row each, and a total each.
        var byDay = await reports.SalesAsync(new ReportFilter(), SalesBy.Day);
        byDay.Page.Rows.Select(r => (r.Key, r.Currency, r.Quantity, r.Revenue)).ShouldBe([("2026-11-20", "EUR", 4, 10.00m), ("2026-11-20", "GBP", 2, 5.00m)]);
        byDay.Totals.Select(t => (t.Currency, t.Quantity, t.Revenue)).ShouldBe([("EUR", 4, 10.00m), ("GBP", 2, 5.00m)]);
        var byProduct = await reports.SalesAsync(new ReportFilter(), SalesBy.Product);
        byProduct.Page.Rows.Select(r => (r.Label, r.Currency, r.Revenue)).ShouldBe([("ASP ASP", "EUR", 10.00m), ("ASP ASP", "GBP", 5.00m)]);

        var variance = await reports.VarianceAsync(new ReportFilter());
        variance.Page.Rows.ShouldHaveSingleItem().ShouldSatisfyAllConditions(r => r.Currency.ShouldBe("EUR"), r => r.Value.ShouldBe(-3.00m));
        variance.ByTake.ShouldHaveSingleItem().Currency.ShouldBe("EUR");
    }

    [Fact]
    public async Task Per_currency_totals_cost_the_same_commands_as_one_outlet()
    {
        async Task<int> CommandsAsync(ReportFilter filter)
        {
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            var reports = new Reports(db, _clock);
            await reports.StockValuationAsync(filter);
            await reports.ExpiringAsync(filter);
            await reports.SalesAsync(filter, SalesBy.Day);
            await reports.VarianceAsync(filter);
            await new Dashboard(db, _clock).OutletFiguresAsync();
            return counter.Count;
        }

        // Paris alone (its stock take on the variance's page too) against all three outlets in two currencies.
        (await CommandsAsync(new ReportFilter())).ShouldBe(await CommandsAsync(new ReportFilter(_paris.Id)));
    }
}
