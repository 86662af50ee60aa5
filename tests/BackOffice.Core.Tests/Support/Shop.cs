using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Support;

/// <summary>Builds a small shop in a test database: outlets, products and batches written directly with their receipt movements.</summary>
public sealed class Shop(ShopDatabase database, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public async Task<Outlet> OutletAsync(string code = "SHOP-1", string zone = "Etc/UTC")
    {
        await using var db = database.Open();
        var outlet = new Outlet { Code = code, Name = code, TimeZoneId = zone };
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        return outlet;
    }

    public async Task<Product> ProductAsync(string sku, decimal price = 3.49m, int reorderLevel = 5, bool tracksExpiry = true, bool active = true)
    {
        await using var db = database.Open();
        var product = new Product { Sku = sku, Barcode = null, Name = sku, Price = price, ReorderLevel = reorderLevel, TracksExpiry = tracksExpiry, Active = active, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product;
    }

    /// <summary>Makes <paramref name="code"/> the product's primary barcode (and one of its barcodes), written directly.</summary>
    public async Task BarcodeAsync(Product product, string code)
    {
        await using var db = database.Open();
        var held = await db.Products.Include(p => p.Barcodes).FirstAsync(p => p.Id == product.Id);
        held.SetBarcodes(code, null);
        await db.SaveChangesAsync();
    }

    /// <summary>A batch with its receipt movement, as if received <paramref name="receivedDaysAgo"/> days ago.</summary>
    public async Task<Batch> BatchAsync(Outlet outlet, Product product, int quantity, DateOnly? expiry, string? lot = null, int receivedDaysAgo = 10, decimal unitCost = 1.5m)
    {
        await using var db = database.Open();
        var batch = new Batch
        {
            Id = Guid.NewGuid(), OutletId = outlet.Id, ProductId = product.Id, LotNumber = lot ?? $"L{Random.Shared.Next(10000, 99999)}",
            ExpiryDate = expiry, QuantityReceived = quantity, OnHand = quantity, UnitCost = unitCost,
            ReceivedAt = Now.UtcDateTime.AddDays(-receivedDaysAgo),
        };
        db.Batches.Add(batch);
        db.Movements.Add(StockMovement.For(batch, MovementKind.Receipt, quantity, batch.ReceivedAt, "test"));
        await db.SaveChangesAsync();
        return batch;
    }

    /// <summary>When the fixtures' sales happen: within the 90 days a sale may be late, for every test clock (24 November 2026).</summary>
    public static readonly DateTimeOffset SoldAt = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static SaleRequest Sale(params (string Sku, int Quantity)[] lines) =>
        new(Guid.NewGuid(), SoldAt, lines.Select(l => new SaleLineRequest(l.Sku, l.Quantity, 2.50m)).ToList(),
            [new PaymentRequest("cash", lines.Sum(l => l.Quantity) * 2.50m)]);
}

/// <summary>The invariants of design.md that hold for every batch at any moment, checked in SQL.</summary>
public static class Invariants
{
    public static async Task AssertLedgerAsync(BackOfficeDb db)
    {
        var broken = await db.Batches
            .Select(b => new { b.Id, b.OnHand, Ledger = db.Movements.Where(m => m.BatchId == b.Id).Sum(m => m.Quantity) })
            .Where(x => x.OnHand != x.Ledger || x.OnHand < 0)
            .ToListAsync();
        broken.ShouldBeEmpty("on hand must equal the sum of the batch's movements and never be negative");

        // The copies of outlet and product on movements agree with their batch.
        var mismatched = await db.Movements.CountAsync(m => m.OutletId != m.Batch.OutletId || m.ProductId != m.Batch.ProductId);
        mismatched.ShouldBe(0);

        // The expiry job's mark on a batch and its 0-unit expiry line in the ledger come together, or not at all.
        var marks = await db.Batches.CountAsync(b => (b.ExpiryMarkedAt != null)
            != db.Movements.Any(m => m.BatchId == b.Id && m.Kind == MovementKind.Expiry && m.Quantity == 0));
        marks.ShouldBe(0, "a batch is marked expired exactly when the ledger has the expiry job's line for it");

        // Every sale line: allocations + shortfall = quantity.
        var lines = await db.SaleLines
            .Select(l => new { l.Quantity, l.Shortfall, l.Allocated, Sum = db.Allocations.Where(a => a.SaleLineId == l.Id).Sum(a => a.Quantity) })
            .Where(x => x.Sum + x.Shortfall != x.Quantity || x.Allocated != x.Sum)
            .CountAsync();
        lines.ShouldBe(0, "allocations + shortfall must equal each line's quantity");

        await AssertSalesDaysAsync(db);
    }

    /// <summary>The daily sales totals the recorders keep equal what the sales, allocations and returns themselves add up to.</summary>
    public static async Task AssertSalesDaysAsync(BackOfficeDb db)
    {
        var kept = await db.SalesDays.AsNoTracking().ToListAsync();
        var fromSales = await db.SalesDays.FromSqlRaw(SalesDays.FromSalesSql(ShopDatabase.Provider)).AsNoTracking().ToListAsync();
        string Key(DateOnly day, int outlet, int product, int till) => $"{day:yyyy-MM-dd}/{outlet}/{product}/{till}";
        var expected = fromSales.ToDictionary(f => Key(f.Day, f.OutletId, f.ProductId, f.TillId));
        kept.Select(k => Key(k.Day, k.OutletId, k.ProductId, k.TillId)).Order().ShouldBe(expected.Keys.Order(), "a day's totals exist exactly for the days with sales or returns");
        foreach (var k in kept)
        {
            var f = expected[Key(k.Day, k.OutletId, k.ProductId, k.TillId)];
            (k.SoldQuantity, k.ReturnedQuantity).ShouldBe((f.SoldQuantity, f.ReturnedQuantity));
            k.SoldRevenue.ShouldBe(f.SoldRevenue, 1e-6);
            k.SoldCost.ShouldBe(f.SoldCost, 1e-6);
            k.ReturnedRevenue.ShouldBe(f.ReturnedRevenue, 1e-6);
            k.ReturnedCost.ShouldBe(f.ReturnedCost, 1e-6);
        }
    }
}
