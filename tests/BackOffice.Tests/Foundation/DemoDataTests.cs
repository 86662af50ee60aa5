using System.Text;
using BackOffice.Core.Data;
using BackOffice.Core.Tills;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Foundation;

/// <summary>The Development demo data: what it holds, that it is consistent, and that seeding again adds nothing.</summary>
public sealed class DemoDataTests : IAsyncLifetime
{
    private ShopDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = ShopDatabase.Seeded();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Seeding_twice_adds_nothing()
    {
        var before = await CountsAsync();
        before.Outlets.ShouldBe(3);

        await using (var db = _db.Open())
            (await DemoData.SeedAsync(db, TestDatabase.DemoSeed, TestDatabase.SeedNow)).ShouldBeFalse();
        (await CountsAsync()).ShouldBe(before);

        // Nor on another day (the app seeds at every start in Development).
        await using (var db = _db.Open())
            (await DemoData.SeedAsync(db, TestDatabase.DemoSeed, TestDatabase.SeedNow.AddDays(3))).ShouldBeFalse();
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Seeding_an_empty_database_adds_the_demo_chain()
    {
        using var empty = new ShopDatabase();
        await using (var db = empty.Open())
            (await DemoData.SeedAsync(db, TestDatabase.DemoSeed, TestDatabase.SeedNow)).ShouldBeTrue();

        await using var check = empty.Open();
        var zones = await check.Outlets.Select(o => o.TimeZoneId).ToListAsync();
        zones.Count.ShouldBe(3);
        zones.Distinct().Count().ShouldBe(3);
        (await check.Products.CountAsync()).ShouldBeInRange(250, 300);
        (await check.Batches.CountAsync()).ShouldBe(2000);
        (await check.Tills.CountAsync()).ShouldBe(1);
        (await check.ApiKeys.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Demo_products_look_like_a_pharmacy_catalog()
    {
        await using var db = _db.Open();
        var products = await db.Products.Select(p => new { p.Sku, p.Barcode, p.Name, p.Price, p.ReorderLevel, p.TracksExpiry }).ToListAsync();
        products.ShouldAllBe(p => p.Barcode != null && p.Barcode.Length == 13 && p.Barcode.All(char.IsAsciiDigit));
        products.ShouldAllBe(p => p.Barcode == DemoData.Ean13(long.Parse(p.Barcode!.Substring(0, 12))));
        products.ShouldAllBe(p => p.Price > 0 && p.ReorderLevel > 0);
        products.Count(p => p.TracksExpiry).ShouldBeGreaterThan(products.Count / 2);
        products.ShouldContain(p => p.Name.StartsWith("Paracetamol"));
    }

    [Fact]
    public async Task Demo_expiry_dates_spread_from_expired_to_years_out()
    {
        var today = DateOnly.FromDateTime(TestDatabase.SeedNow.UtcDateTime);
        await using var db = _db.Open();
        (await db.Batches.CountAsync(b => b.ExpiryDate < today)).ShouldBeGreaterThan(0);
        (await db.Batches.CountAsync(b => b.ExpiryDate >= today && b.ExpiryDate <= today.AddDays(30))).ShouldBeGreaterThan(0);
        (await db.Batches.CountAsync(b => b.ExpiryDate > today.AddYears(2))).ShouldBeGreaterThan(0);
        (await db.Batches.CountAsync(b => b.ExpiryDate == null)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task On_hand_equals_the_sum_of_movements_for_every_batch()
    {
        await using var db = _db.Open();
        var moved = db.Movements.GroupBy(m => m.BatchId).Select(g => new { BatchId = g.Key, Quantity = g.Sum(m => m.Quantity) });
        // One query over all batches: those whose quantity disagrees with their ledger (or that have none).
        var disagreeing = await (
            from b in db.Batches
            join m in moved on b.Id equals m.BatchId into ledger
            from m in ledger.DefaultIfEmpty()
            select new { b.Id, b.OnHand, Moved = (int?)m!.Quantity })
            .Where(x => x.Moved == null || x.Moved != x.OnHand)
            .ToListAsync();

        disagreeing.ShouldBeEmpty();
        (await db.Batches.CountAsync()).ShouldBe(2000);
        (await db.Batches.AnyAsync(b => b.OnHand < 0)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_demo_has_two_weeks_of_sales_at_every_outlet_without_shortfalls_and_their_daily_totals()
    {
        await using var db = _db.Open();
        var today = DateOnly.FromDateTime(TestDatabase.SeedNow.UtcDateTime);
        var perOutlet = await db.Sales.GroupBy(s => s.OutletId).Select(g => new { Outlet = g.Key, Sales = g.Count() }).ToListAsync();
        perOutlet.Count.ShouldBe(3);
        perOutlet.ShouldAllBe(o => o.Sales == 14 * 12, "twelve sales a day for fourteen days at each outlet");
        (await db.SaleLines.SumAsync(l => l.Shortfall)).ShouldBe(0);
        (await db.Discrepancies.CountAsync()).ShouldBe(0);
        var days = await db.SalesDays.Select(d => d.Day).Distinct().ToListAsync();
        days.ShouldAllBe(d => d >= today.AddDays(-15) && d < today);
        (await db.SalesDays.SumAsync(d => d.SoldQuantity)).ShouldBe(await db.SaleLines.SumAsync(l => l.Quantity));
        (await db.Movements.Where(m => m.Kind == Core.Inventory.MovementKind.Sale).SumAsync(m => -m.Quantity)).ShouldBe(await db.SaleLines.SumAsync(l => l.Quantity));
    }

    [Fact]
    public async Task Movements_agree_with_their_batch_on_outlet_and_product()
    {
        await using var db = _db.Open();
        (await db.Movements.CountAsync(m => m.OutletId != m.Batch.OutletId || m.ProductId != m.Batch.ProductId)).ShouldBe(0);
    }

    [Fact]
    public async Task Till_token_and_api_key_are_stored_hashed()
    {
        await using (var db = _db.Open())
        {
            var till = await db.Tills.SingleAsync();
            till.Name.ShouldBe(DemoData.DemoTillName);
            till.TokenHash.ShouldBe(Secrets.Hash(TestDatabase.DemoTillToken));
            Secrets.Matches(TestDatabase.DemoTillToken, till.TokenHash).ShouldBeTrue();
            till.OutletId.ShouldBe(await db.Outlets.MinAsync(o => o.Id));

            var key = await db.ApiKeys.SingleAsync();
            key.KeyHash.ShouldBe(Secrets.Hash(TestDatabase.IntegrationApiKey));
        }

        // Nowhere in the database file is either secret in plain text.
        if (ShopDatabase.Provider != DatabaseProvider.Sqlite) return;
        var bytes = await File.ReadAllBytesAsync(_db.Path);
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TestDatabase.DemoTillToken)).ShouldBe(-1);
        bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(TestDatabase.IntegrationApiKey)).ShouldBe(-1);
    }

    private async Task<Counts> CountsAsync()
    {
        await using var db = _db.Open();
        return new Counts(await db.Outlets.CountAsync(), await db.Products.CountAsync(), await db.Batches.CountAsync(),
            await db.Movements.CountAsync(), await db.Tills.CountAsync(), await db.ApiKeys.CountAsync(), await db.Receipts.CountAsync());
    }

    private sealed record Counts(int Outlets, int Products, int Batches, int Movements, int Tills, int ApiKeys, int Receipts);
}
