using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Reporting;
using BackOffice.Core.StockTakes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>Each report's figures against the hand-worked history of <see cref="ReportFixture"/>.</summary>
public sealed class ReportTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private ReportFixture _f = null!;

    public async Task InitializeAsync() => _f = await ReportFixture.BuildAsync(_database, _clock);

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    private Reports Reports(BackOffice.Core.Data.BackOfficeDb db) => new(db, _clock);

    [Fact]
    public async Task Stock_valuation_values_sellable_stock_and_expired_stock_apart_by_each_outlets_own_day()
    {
        await using var db = _database.Open();
        var report = await Reports(db).StockValuationAsync(new ReportFilter());

        report.Page.TotalRows.ShouldBe(6);
        report.Page.Rows.Select(r => (r.OutletCode, r.Sku, r.OnHand, r.Available, r.Expired, r.Value, r.ExpiredValue)).ShouldBe(
        [
            ("SHOP-A", "ASP", 15, 15, 0, 37.50m, 0m),
            ("SHOP-A", "BAND", 3, 3, 0, 1.50m, 0m),
            // The value at cost is of sellable stock only (a5 4 @1.00); the expired a3 (3 @1.00) is valued apart.
            ("SHOP-A", "VIT", 7, 4, 3, 4.00m, 3.00m),
            // b1 expires 11-24: sellable at A's date, expired at B's (already the 25th).
            ("SHOP-B", "ASP", 6, 0, 6, 0m, 12.00m),
            ("SHOP-B", "BAND", 2, 2, 0, 1.00m, 0m),
            ("SHOP-B", "VIT", 8, 8, 0, 9.60m, 0m),
        ]);
        report.ByOutlet.Select(o => (o.OutletCode, o.OnHand, o.Available, o.Expired, o.Value, o.ExpiredValue)).ShouldBe(
            [("SHOP-A", 25, 22, 3, 43.00m, 3.00m), ("SHOP-B", 16, 10, 6, 10.60m, 12.00m)]);
        // Outlets without a currency of their own count in the base currency.
        report.ByOutlet.ShouldAllBe(o => o.Currency == "GBP");
        report.Value.ShouldBe([new CurrencyAmount(53.60m, "GBP")]);
        report.ExpiredValue.ShouldBe([new CurrencyAmount(15.00m, "GBP")]);
        report.Available.ShouldBe(32);

        var filtered = await Reports(db).StockValuationAsync(new ReportFilter(OutletId: _f.B.Id, Product: "vi"), take: 1);
        filtered.Page.Rows.ShouldHaveSingleItem().Sku.ShouldBe("VIT");
        filtered.Page.TotalRows.ShouldBe(1);
        filtered.Value.ShouldBe([new CurrencyAmount(9.60m, "GBP")]);

        var second = await Reports(db).StockValuationAsync(new ReportFilter(), skip: 2, take: 2);
        second.Page.Rows.Select(r => (r.OutletCode, r.Sku)).ShouldBe([("SHOP-A", "VIT"), ("SHOP-B", "ASP")]);
    }

    [Fact]
    public async Task Expiring_soon_buckets_value_at_risk_by_week_and_lists_expired_stock_not_written_off()
    {
        await using var db = _database.Open();
        var soon = await Reports(db).ExpiringAsync(new ReportFilter());
        soon.Page.Rows.Select(r => (r.OutletCode, r.LotNumber, r.DaysLeft, r.OnHand, r.Value)).ShouldBe(
            [("SHOP-A", "A5", 6, 4, 4.00m), ("SHOP-B", "B2", 25, 8, 9.60m)]);
        (soon.Batches, soon.OnHand).ShouldBe((2, 12));
        soon.Value.ShouldBe([new CurrencyAmount(13.60m, "GBP")]);
        soon.ByWeek.Select(w => (w.Week, w.Batches, w.Value)).ShouldBe([(0, 1, 4.00m), (3, 1, 9.60m)]);

        var week = await Reports(db).ExpiringAsync(new ReportFilter(), withinDays: 7);
        week.Page.Rows.ShouldHaveSingleItem().LotNumber.ShouldBe("A5");

        var expired = await Reports(db).ExpiringAsync(new ReportFilter(), ExpirySection.Expired);
        expired.Page.Rows.Select(r => (r.OutletCode, r.LotNumber, r.DaysLeft, r.OnHand, r.Value)).ShouldBe(
            [("SHOP-A", "A3", -1, 3, 3.00m), ("SHOP-B", "B1", -1, 6, 12.00m)]);
        expired.Value.ShouldBe([new CurrencyAmount(15.00m, "GBP")]);

        var streamed = await Reports(db).ExpiryRowsAsync(new ReportFilter(OutletId: _f.A.Id), ExpirySection.Expired).ToListAsync();
        streamed.ShouldHaveSingleItem().LotNumber.ShouldBe("A3");

        await Should.ThrowAsync<ValidationFailedException>(() => Reports(db).ExpiringAsync(new ReportFilter(), withinDays: 0));
    }

    [Fact]
    public async Task Ledger_pages_by_key_filters_by_outlet_day_kind_and_shows_a_batchs_running_balance()
    {
        await using var db = _database.Open();
        var all = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter()), take: 100);
        all.Rows.Count.ShouldBe(17);
        all.Next.ShouldBeNull();

        var first = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(OutletId: _f.A.Id)), take: 5);
        first.Rows.Count.ShouldBe(5);
        first.Next.ShouldNotBeNull();
        var second = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(OutletId: _f.A.Id)), LedgerCursor.Parse(first.Next.ToString()), take: 50);
        second.Rows.Count.ShouldBe(7);
        second.Next.ShouldBeNull();
        first.Rows.Concat(second.Rows).Select(r => r.Id).ShouldBeUnique();
        first.Rows.Concat(second.Rows).ShouldAllBe(r => r.OutletCode == "SHOP-A");
        first.Rows[0].LotNumber.ShouldBe("A5"); // newest first

        var today = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(_f.A.Id, new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 24))));
        today.Rows.Select(r => r.Kind).ShouldBe([MovementKind.Receipt, MovementKind.Adjustment, MovementKind.Expiry, MovementKind.TransferOut,
            MovementKind.Return, MovementKind.Sale, MovementKind.Sale, MovementKind.Sale]);

        var sales = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(), MovementKind.Sale));
        sales.Rows.Select(r => r.Quantity).OrderBy(q => q).ShouldBe([-6, -6, -4, -3]);
        sales.Rows.Single(r => r.Quantity == -3).TillName.ShouldBe("B-1");

        var batch = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(), BatchId: _f.A2.Id));
        batch.Rows.Select(r => (r.Kind, r.Quantity, r.Balance)).ShouldBe(
            [(MovementKind.Adjustment, -2, (int?)15), (MovementKind.Return, 3, 17), (MovementKind.Sale, -6, 14), (MovementKind.Receipt, 20, 20)]);
        // Filtered to later movements, the balance still counts the batch's earlier ones.
        var batchToday = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(_f.A.Id, new DateOnly(2026, 11, 24)), MovementKind.Sale, _f.A2.Id));
        batchToday.Rows.ShouldHaveSingleItem().Balance.ShouldBe(14);
    }

    [Fact]
    public async Task Sales_net_returns_and_take_margin_at_the_cost_of_the_batches_sold_from()
    {
        await using var db = _database.Open();
        var byDay = await Reports(db).SalesAsync(new ReportFilter(), SalesBy.Day);
        byDay.Page.Rows.Select(r => (r.Key, r.Quantity, r.ReturnedQuantity, r.Revenue, r.Cost, r.Margin)).ShouldBe(
        [
            ("2026-11-23", 12, 0, 60.00m, 27.00m, 33.00m),
            ("2026-11-24", 3, 3, 11.00m, 0.50m, 10.50m),
            // S3 was at 11:30 UTC: already the 25th in Auckland.
            ("2026-11-25", 3, 0, 9.00m, 3.60m, 5.40m),
        ]);
        byDay.Quantity.ShouldBe(18);
        byDay.Totals.Select(t => (t.Currency, t.Quantity, t.Revenue, t.Cost, t.Margin)).ShouldBe([("GBP", 18, 80.00m, 31.10m, 48.90m)]);

        var byProduct = await Reports(db).SalesAsync(new ReportFilter(), SalesBy.Product);
        byProduct.Page.Rows.Select(r => (r.Label, r.Quantity, r.Revenue, r.Cost)).ShouldBe([("ASP ASP", 13, 65.00m, 27.50m), ("VIT VIT", 5, 15.00m, 3.60m)]);

        var byOutlet = await Reports(db).SalesAsync(new ReportFilter(), SalesBy.Outlet);
        byOutlet.Page.Rows.Select(r => (r.Label, r.Quantity, r.Revenue, r.Cost)).ShouldBe([("SHOP-A SHOP-A", 15, 71.00m, 27.50m), ("SHOP-B SHOP-B", 3, 9.00m, 3.60m)]);

        var byTill = await Reports(db).SalesAsync(new ReportFilter(), SalesBy.Till);
        byTill.Page.Rows.Select(r => (r.Label, r.Revenue)).ShouldBe([("No till", 71.00m), ("B-1", 9.00m)]);

        // The 24th at each outlet: A's sale S1 and the return of S2; B's 24th ended before its sale.
        var the24th = await Reports(db).SalesAsync(new ReportFilter(From: new DateOnly(2026, 11, 24), To: new DateOnly(2026, 11, 24)), SalesBy.Outlet);
        the24th.Page.Rows.ShouldHaveSingleItem().Label.ShouldBe("SHOP-A SHOP-A");
        the24th.Totals.Select(t => (t.Quantity, t.Revenue, t.Cost)).ShouldBe([(3, 11.00m, 0.50m)]);

        var vit = await Reports(db).SalesAsync(new ReportFilter(Product: "VIT"), SalesBy.Day);
        vit.Page.Rows.Select(r => (r.Key, r.Revenue)).ShouldBe([("2026-11-24", 6.00m), ("2026-11-25", 9.00m)]);

        await Should.ThrowAsync<ValidationFailedException>(() => Reports(db).SalesAsync(new ReportFilter(From: new DateOnly(2026, 11, 24), To: new DateOnly(2026, 11, 23)), SalesBy.Day));
    }

    [Fact]
    public async Task Reorder_lists_low_stock_with_days_of_cover_and_a_suggested_order()
    {
        await using var db = _database.Open();
        var report = await Reports(db).ReorderAsync(new ReportFilter());
        report.TotalRows.ShouldBe(4);
        report.Rows.Select(r => (r.OutletCode, r.Sku, r.Available, r.SoldLast28Days, r.DaysOfCover, r.SuggestedOrder)).ShouldBe(
        [
            ("SHOP-A", "VIT", 4, 2, (decimal?)56.0m, 36),
            ("SHOP-B", "ASP", 0, 0, null, 10),
            ("SHOP-B", "BAND", 2, 0, null, 2),
            ("SHOP-B", "VIT", 8, 3, 74.7m, 32),
        ]);
        var streamed = await Reports(db).ReorderRowsAsync(new ReportFilter(OutletId: _f.B.Id)).ToListAsync();
        streamed.Select(r => r.SuggestedOrder).ShouldBe([10, 2, 32]);
    }

    [Fact]
    public async Task Discrepancies_add_up_shortfalls_per_outlet_and_product_and_per_outlet_day()
    {
        await using var db = _database.Open();
        var report = await Reports(db).DiscrepanciesAsync(new ReportFilter());
        report.Page.Rows.Select(r => (r.OutletCode, r.Sku, r.ShortfallUnits, r.RejectedReturnUnits, r.Count, r.Open)).ShouldBe(
            [("SHOP-A", "VIT", 2, 0, 1, 1), ("SHOP-B", "ASP", 0, 1, 1, 1)]);
        (report.ShortfallUnits, report.RejectedReturnUnits).ShouldBe((2, 1));
        report.ByDay.Select(d => (d.Day, d.OutletCode, d.Units)).ShouldBe(
            [(new DateOnly(2026, 11, 24), "SHOP-A", 2), (new DateOnly(2026, 11, 25), "SHOP-B", 1)]);

        var bOn24th = await Reports(db).DiscrepanciesAsync(new ReportFilter(_f.B.Id, new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 24)));
        bOn24th.Page.Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task Stock_take_variance_compares_counted_with_expected_in_units_and_value()
    {
        await using var db = _database.Open();
        var report = await Reports(db).VarianceAsync(new ReportFilter());
        report.Page.Rows.Select(r => (r.OutletCode, r.Status, r.Sku, r.Expected, r.Counted, r.Variance, r.Value)).ShouldBe(
        [
            ("SHOP-A", StockTakeStatus.Open, "ASP", 15, 14, -1, -2.50m),
            // Counted without a lot: valued at the outlet's average unit cost of the product.
            ("SHOP-B", StockTakeStatus.Posted, "ASP", 6, 7, 1, 2.00m),
            ("SHOP-B", StockTakeStatus.Posted, "VIT", 12, 11, -1, -1.20m),
        ]);
        report.ByTake.Select(t => (t.OutletCode, t.Variance, t.Value)).ShouldBe([("SHOP-B", 0, 0.80m), ("SHOP-A", -1, -2.50m)]);

        var history = await Reports(db).VarianceAsync(new ReportFilter(Product: "ASP"));
        history.Page.Rows.Select(r => r.OutletCode).ShouldBe(["SHOP-A", "SHOP-B"]);
    }

    [Fact]
    public async Task Stock_take_variance_pages_across_takes_exactly_as_the_whole_list()
    {
        await using var db = _database.Open();
        var all = await (await Reports(db).VarianceRowsAsync(new ReportFilter())).ToListAsync();
        all.Count.ShouldBe(3);
        // Every window of every size, including ones that start inside a take and run into the next, or past the end.
        for (var size = 1; size <= 4; size++)
            for (var skip = 0; skip <= all.Count; skip++)
            {
                var page = await Reports(db).VarianceAsync(new ReportFilter(), skip, size);
                page.Page.TotalRows.ShouldBe(all.Count);
                page.Page.Rows.ShouldBe(all.Skip(skip).Take(size).ToList(), $"skip {skip}, take {size}");
            }
    }
}
