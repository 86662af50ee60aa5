using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

/// <summary>Many tills selling the same stock at once, each on its own connection to the same SQLite file.</summary>
public sealed class ConcurrentSalesTests : IDisposable
{
    private const int Sellers = 16;
    private const int SalesPerSeller = 50;
    private const int Stock = 500;
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sixteen_sellers_never_allocate_a_unit_twice_and_every_sale_is_recorded_once()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var product = await shop.ProductAsync("PARA-500-16");
        for (var i = 0; i < 20; i++)
            await shop.BatchAsync(outlet, product, Stock / 20, shop.Today.AddDays(30 + i));

        // Each sale asks for 1..3 units: demand (about 1,600) far exceeds the 500 in stock.
        var random = new Random(42);
        var sales = Enumerable.Range(0, Sellers)
            .Select(_ => Enumerable.Range(0, SalesPerSeller).Select(_ => Shop.Sale(("PARA-500-16", random.Next(1, 4)))).ToList())
            .ToList();
        var demand = sales.SelectMany(s => s).Sum(s => s.Lines[0].Quantity);

        await Task.WhenAll(sales.Select(mine => Task.Run(() => SellAllAsync(mine, outlet.Id))));

        await using var db = _database.Open();
        (await db.Allocations.SumAsync(a => a.Quantity)).ShouldBe(Stock);
        (await db.SaleLines.SumAsync(l => l.Shortfall)).ShouldBe(demand - Stock);
        (await db.Sales.CountAsync()).ShouldBe(Sellers * SalesPerSeller);
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(0);
        await Invariants.AssertLedgerAsync(db);

        // The same saleIds replayed from two tasks at once: nothing new is recorded.
        var all = sales.SelectMany(s => s).ToList();
        await Task.WhenAll(Task.Run(() => SellAllAsync(all, outlet.Id)), Task.Run(() => SellAllAsync(all.AsEnumerable().Reverse().ToList(), outlet.Id)));
        (await db.Sales.CountAsync()).ShouldBe(Sellers * SalesPerSeller);
        (await db.Allocations.SumAsync(a => a.Quantity)).ShouldBe(Stock);
        (await db.Movements.CountAsync(m => m.Kind == BackOffice.Core.Inventory.MovementKind.Sale))
            .ShouldBe(await db.Allocations.CountAsync());
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task The_same_new_sale_id_sent_from_two_places_at_once_is_recorded_once()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var product = await shop.ProductAsync("IBU-200-24");
        await shop.BatchAsync(outlet, product, 100, shop.Today.AddDays(30));
        var sales = Enumerable.Range(0, 40).Select(_ => Shop.Sale(("IBU-200-24", 1))).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var created = 0;
            foreach (var sale in sales)
            {
                await using var db = _database.Open();
                if ((await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(sale, new Counter(outlet.Id))).Created) created++;
            }
            return created;
        })));

        results.Sum().ShouldBe(40, "each saleId is created by exactly one of the senders");
        await using var check = _database.Open();
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(60);
        await Invariants.AssertLedgerAsync(check);
    }

    private async Task SellAllAsync(IReadOnlyList<SaleRequest> sales, int outletId)
    {
        foreach (var sale in sales)
        {
            await using var db = _database.Open();
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(sale, new Counter(outletId));
        }
    }
}
