using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tills;

namespace BackOffice.Tests.Support;

/// <summary>Valid entities with unique values, for tests that arrange their own data.</summary>
public static class Make
{
    private static int _next;
    private static int Next() => Interlocked.Increment(ref _next);

    public static readonly DateTime Now = TestDatabase.SeedNow.UtcDateTime;

    public static Outlet Outlet(string? code = null) =>
        new() { Code = code ?? $"T-{Next():D4}", Name = "Test outlet", TimeZoneId = "Europe/London" };

    public static Product Product(string? sku = null, string? barcode = null)
    {
        var n = Next();
        var code = barcode ?? Core.Data.DemoData.Ean13(400_000_000_000 + n);
        return new Product
        {
            Sku = sku ?? $"TEST-{n:D6}",
            Barcode = code,
            Barcodes = [ProductBarcode.For(code)],
            Name = $"Test product {n}",
            Price = 4.99m,
            ReorderLevel = 5,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
    }

    public static Batch Batch(Outlet outlet, Product product, int onHand = 10, DateOnly? expiry = null) => new()
    {
        Id = Guid.NewGuid(),
        Outlet = outlet,
        Product = product,
        LotNumber = $"L{Next()}",
        ExpiryDate = expiry ?? new DateOnly(2027, 6, 30),
        QuantityReceived = onHand,
        OnHand = onHand,
        UnitCost = 2.5m,
        ReceivedAt = Now,
    };

    public static Sale Sale(int outletId, Guid? id = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        OutletId = outletId,
        OccurredAt = Now,
        RecordedAt = Now,
        Total = 0,
        ContentHash = "hash-" + Next(),
    };

    public static Return Return(Sale sale, Guid? id = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        SaleId = sale.Id,
        OutletId = sale.OutletId,
        OccurredAt = Now,
        RecordedAt = Now,
        ContentHash = "hash-" + Next(),
    };

    public static StockTake StockTake(int outletId) => new() { OutletId = outletId, OpenedAt = Now, SnapshotAt = Now };

    public static StockTakeLine Line(int stockTakeId, int productId, Guid? batchId) =>
        new() { StockTakeId = stockTakeId, ProductId = productId, BatchId = batchId, Expected = 3 };

    public static Till Till(int outletId, string? tokenHash = null) =>
        new() { Name = $"Till {Next()}", OutletId = outletId, TokenHash = tokenHash ?? Secrets.Hash(Secrets.NewToken("till")), CreatedAt = Now };
}
