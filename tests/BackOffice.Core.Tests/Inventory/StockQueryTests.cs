using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

public sealed class StockQueryTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_page_of_products_gets_on_hand_available_expired_next_expiry_and_low_stock_in_one_query()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var other = await shop.OutletAsync("OTHER");
        var stocked = await shop.ProductAsync("A-STOCKED", reorderLevel: 5);
        var empty = await shop.ProductAsync("B-EMPTY", reorderLevel: 0);
        await shop.ProductAsync("C-INACTIVE", active: false);
        await shop.BatchAsync(outlet, stocked, 4, shop.Today.AddDays(-1));   // expired
        await shop.BatchAsync(outlet, stocked, 6, shop.Today.AddDays(40));
        await shop.BatchAsync(outlet, stocked, 3, shop.Today.AddDays(10));
        await shop.BatchAsync(other, stocked, 100, shop.Today.AddDays(5));   // another outlet's

        var counter = new CommandCounter();
        await using var db = _database.Open(counter);
        // Page the products first, then project their stock: the page decides the rows, the sums follow.
        var page = await db.StockAt(outlet.Id, shop.Today, db.Products.Where(p => p.Active).OrderBy(p => p.Sku).Take(10)).ToListAsync();

        counter.Count.ShouldBe(1);
        page.Select(p => p.Sku).ShouldBe(["A-STOCKED", "B-EMPTY"]);
        page[0].ShouldSatisfyAllConditions(
            p => p.OnHand.ShouldBe(13), p => p.Available.ShouldBe(9), p => p.Expired.ShouldBe(4),
            p => p.NextExpiry.ShouldBe(shop.Today.AddDays(10)), p => p.LowStock.ShouldBeFalse());
        page[1].ShouldSatisfyAllConditions(
            p => p.OnHand.ShouldBe(0), p => p.Available.ShouldBe(0), p => p.NextExpiry.ShouldBeNull(),
            p => p.LowStock.ShouldBeTrue("none at all is the most urgent low stock"));
        (await db.AvailableAsync(outlet.Id, stocked.Id, shop.Today)).ShouldBe(9);
        _ = empty;
    }
}
