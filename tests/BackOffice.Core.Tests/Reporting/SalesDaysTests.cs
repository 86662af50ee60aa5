using BackOffice.Core.Inventory;
using BackOffice.Core.Reporting;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>The daily sales totals behind the sales report: kept by the recorders, rebuilt from the sales on demand.</summary>
public sealed class SalesDaysTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private ReportFixture _f = null!;

    public async Task InitializeAsync() => _f = await ReportFixture.BuildAsync(_database, _clock);

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task The_recorders_keep_one_row_per_day_outlet_product_and_till()
    {
        await using var db = _database.Open();
        var rows = await db.SalesDays.OrderBy(d => d.Day).ThenBy(d => d.OutletId).ThenBy(d => d.ProductId).ToListAsync();

        // S2 (11-23, ASP 12 @5 from a1 6 @2.00 and a2 6 @2.50) and R1 of it (11-24, 3 ASP back into a2 @2.50) fall on two days.
        var s2 = rows.Single(r => r.Day == new DateOnly(2026, 11, 23));
        (s2.SoldQuantity, s2.SoldRevenue, s2.SoldCost, s2.ReturnedQuantity).ShouldBe((12, 60.0, 27.0, 0));
        var asp24 = rows.Single(r => r.Day == new DateOnly(2026, 11, 24) && r.OutletId == _f.A.Id && r.SoldQuantity == 4);
        (asp24.SoldRevenue, asp24.SoldCost, asp24.ReturnedQuantity, asp24.ReturnedRevenue, asp24.ReturnedCost).ShouldBe((20.0, 8.0, 3, 15.0, 7.5));
        // S3 at SHOP-B's till counts on the 25th, the day at the till's clock.
        rows.Single(r => r.OutletId == _f.B.Id).ShouldSatisfyAllConditions(
            r => r.Day.ShouldBe(new DateOnly(2026, 11, 25)), r => r.TillId.ShouldBe(_f.TillB), r => r.SoldQuantity.ShouldBe(3));
        await Invariants.AssertSalesDaysAsync(db);
    }

    [Fact]
    public async Task A_replayed_sale_adds_nothing_to_its_day()
    {
        await using var db = _database.Open();
        var before = await db.SalesDays.SumAsync(d => d.SoldQuantity);

        // The fixture's S1 again, as a till would replay it: answered, not recorded.
        var request = new SaleRequest(_f.S1, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
            [new SaleLineRequest("ASP", 4, 5m), new SaleLineRequest("VIT", 2, 3m)], [new PaymentRequest("cash", 26m)]);
        var outcome = await new SaleRecorder(db, _clock, NoStockChangeNotifier.Instance).RecordSaleAsync(request, new Counter(_f.A.Id));

        outcome.Created.ShouldBeFalse();
        (await db.SalesDays.SumAsync(d => d.SoldQuantity)).ShouldBe(before);
    }

    [Fact]
    public async Task Rebuilding_the_totals_from_the_sales_gives_the_rows_the_recorders_kept()
    {
        await using var db = _database.Open();
        var kept = await db.SalesDays.OrderBy(d => d.Day).ThenBy(d => d.OutletId).ThenBy(d => d.ProductId).ThenBy(d => d.TillId).ToListAsync();
        var report = await new Reports(db, _clock).SalesRowsAsync(new ReportFilter(), SalesBy.Product);

        // The repair (and the benchmarks' history generator): empty the table, fill it again from the sales themselves.
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"SalesDays\"");
        (await db.SalesDays.CountAsync()).ShouldBe(0);
        await db.Database.ExecuteSqlRawAsync(SalesDays.RebuildSql(ShopDatabase.Provider));

        db.ChangeTracker.Clear();
        var filled = await db.SalesDays.OrderBy(d => d.Day).ThenBy(d => d.OutletId).ThenBy(d => d.ProductId).ThenBy(d => d.TillId).ToListAsync();
        filled.Select(d => (d.Day, d.OutletId, d.ProductId, d.TillId, d.SoldQuantity, d.ReturnedQuantity))
            .ShouldBe(kept.Select(d => (d.Day, d.OutletId, d.ProductId, d.TillId, d.SoldQuantity, d.ReturnedQuantity)));
        (await new Reports(db, _clock).SalesRowsAsync(new ReportFilter(), SalesBy.Product)).ShouldBe(report);
    }
}
