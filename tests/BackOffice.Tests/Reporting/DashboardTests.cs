using BackOffice.Core.Inventory;
using BackOffice.Core.Reporting;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Reporting;

/// <summary>The dashboard's figures, checked against the same rules computed in memory from the rows.</summary>
public sealed class DashboardTests
{
    [Theory]
    [InlineData("2026-11-24T09:00:00Z")] // the same date at every demo outlet
    [InlineData("2026-11-24T23:30:00Z")] // already the 25th in Paris, still the 24th in London and New York
    [InlineData("2026-11-25T02:00:00Z")] // the 25th in Europe, still the 24th in New York
    public async Task Outlet_figures_match_the_rows_of_the_demo_data(string at)
    {
        var now = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        using var file = ShopDatabase.Seeded();
        await using var db = file.Open();

        var figures = await new Dashboard(db, new FixedClock(now)).OutletFiguresAsync();

        var outlets = await db.Outlets.AsNoTracking().ToListAsync();
        var batches = await db.Batches.AsNoTracking().ToListAsync();
        var products = await db.Products.AsNoTracking().Where(p => p.Active).ToListAsync();
        figures.Select(f => f.Code).ShouldBe(outlets.Select(o => o.Code).Order(StringComparer.Ordinal));
        foreach (var outlet in outlets)
        {
            var today = ExpiryRule.TodayAt(outlet, now);
            var sellable = batches.Where(b => b.OutletId == outlet.Id && !ExpiryRule.IsExpired(b.ExpiryDate, today)).ToList();
            var expired = batches.Where(b => b.OutletId == outlet.Id && b.OnHand > 0 && ExpiryRule.IsExpired(b.ExpiryDate, today)).ToList();
            var expected = new OutletFigures(outlet.Id, outlet.Code, outlet.Name, outlet.Currency!, outlet.Culture, outlet.TimeZoneId,
                // To the cent, as the stock report values stock (unit costs have up to four decimals).
                StockValue: Cents(sellable.Where(b => b.OnHand > 0).Sum(b => b.OnHand * b.UnitCost)),
                ExpiredValue: Cents(expired.Sum(b => b.OnHand * b.UnitCost)),
                ExpiringBatches: sellable.Count(b => b.OnHand > 0 && b.ExpiryDate <= today.AddDays(Dashboard.ExpiryHorizonDays)),
                LowStockProducts: products.Count(p => sellable.Where(b => b.ProductId == p.Id).Sum(b => b.OnHand) <= p.ReorderLevel));

            var actual = figures.Single(f => f.OutletId == outlet.Id);
            actual.StockValue.ShouldBe(expected.StockValue, $"stock value at {outlet.Code}");
            actual.ExpiredValue.ShouldBe(expected.ExpiredValue, $"expired value at {outlet.Code}");
            actual.Currency.ShouldBe(outlet.Currency);
            actual.ExpiringBatches.ShouldBe(expected.ExpiringBatches, $"expiring batches at {outlet.Code} on {today}");
            actual.LowStockProducts.ShouldBe(expected.LowStockProducts, $"low-stock products at {outlet.Code}");
        }
    }

    private static decimal Cents(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    [Fact]
    public async Task Expiring_soon_uses_each_outlets_own_date()
    {
        // 23:30 UTC: the 25th in Paris, the 24th in London.
        var now = new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.Zero);
        using var file = new ShopDatabase();
        await using (var db = file.Open())
        {
            var london = Make.Outlet("LDN");
            var paris = Make.Outlet("PAR");
            paris.TimeZoneId = "Europe/Paris";
            var product = Make.Product();
            db.AddRange(london, paris, product);
            // London's horizon is 24 Dec, Paris's 25 Dec.
            db.Batches.AddRange(
                Make.Batch(london, product, expiry: new DateOnly(2026, 12, 24)),
                Make.Batch(london, product, expiry: new DateOnly(2026, 12, 25)),
                Make.Batch(paris, product, expiry: new DateOnly(2026, 12, 25)),
                Make.Batch(paris, product, expiry: new DateOnly(2026, 12, 26)));
            await db.SaveChangesAsync();
        }

        await using var check = file.Open();
        var dashboard = new Dashboard(check, new FixedClock(now));
        var figures = await dashboard.OutletFiguresAsync();
        figures.Single(f => f.Code == "LDN").ExpiringBatches.ShouldBe(1);
        figures.Single(f => f.Code == "PAR").ExpiringBatches.ShouldBe(1);

        var soon = await dashboard.ExpiringSoonAsync();
        soon.Select(b => (b.OutletCode, b.ExpiryDate)).ShouldBe(
            [("LDN", new DateOnly(2026, 12, 24)), ("PAR", new DateOnly(2026, 12, 25))], ignoreOrder: true);
    }

    [Fact]
    public async Task A_product_with_no_stock_at_an_outlet_is_low_there()
    {
        using var file = new ShopDatabase();
        await using (var db = file.Open())
        {
            var stocked = Make.Outlet("A");
            var empty = Make.Outlet("B");
            var product = Make.Product();
            product.ReorderLevel = 5;
            db.AddRange(stocked, empty, product, Make.Batch(stocked, product, onHand: 50));
            await db.SaveChangesAsync();
        }

        await using var check = file.Open();
        var figures = await new Dashboard(check, new FixedClock(TestDatabase.SeedNow)).OutletFiguresAsync();
        figures.Single(f => f.Code == "A").LowStockProducts.ShouldBe(0);
        figures.Single(f => f.Code == "B").LowStockProducts.ShouldBe(1);
    }
}
