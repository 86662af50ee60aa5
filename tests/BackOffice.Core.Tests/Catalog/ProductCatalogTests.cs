#pragma warning disable EF1003 // test-only bulk SQL: the concatenated pieces are fixed dialect fragments, every value a parameter
using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Catalog;

public sealed class ProductCatalogTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    /// <summary>Adds <paramref name="count"/> products (each with a batch at the outlet) in one statement each, so that 10,000 take a moment.</summary>
    private async Task AddProductsAsync(int outletId, int count, int from)
    {
        await using var db = _database.Open();
        var numbers = ShopDatabase.Provider == BackOffice.Core.Data.DatabaseProvider.PostgreSql
            ? "WITH n(i) AS (SELECT generate_series({0}, {1}))"
            : "WITH RECURSIVE n(i) AS (SELECT {0} UNION ALL SELECT i + 1 FROM n WHERE i < {1})";
        await db.Database.ExecuteSqlRawAsync(
            numbers + " INSERT INTO \"Products\" (\"Sku\", \"Barcode\", \"Name\", \"Price\", \"ReorderLevel\", \"TracksExpiry\", \"Active\", \"CreatedAt\", \"UpdatedAt\") " +
            $"SELECT {BulkStock.Numbered("BULK-", "i", padded: true)}, NULL, {BulkStock.Numbered("Bulk product ", "i", padded: true)}, {BulkStock.Number("1.00")}, 5, " +
            $"{BulkStock.Flag(true)}, {BulkStock.Flag(true)}, {BulkStock.Timestamp("2026-01-01 00:00:00")}, {BulkStock.Timestamp("2026-01-01 00:00:00")} FROM n",
            from, from + count - 1);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"Batches\" (\"Id\", \"OutletId\", \"ProductId\", \"LotNumber\", \"ExpiryDate\", \"QuantityReceived\", \"OnHand\", \"UnitCost\", \"ReceivedAt\", \"Version\") " +
            $"SELECT {BulkStock.NewId}, {{0}}, p.\"Id\", 'L', {BulkStock.Date("2027-01-01")}, 10, 10, {BulkStock.Number("1.0")}, {BulkStock.Timestamp("2026-01-01 00:00:00")}, 0 " +
            "FROM \"Products\" p WHERE p.\"Sku\" LIKE 'BULK-%' AND NOT EXISTS (SELECT 1 FROM \"Batches\" b WHERE b.\"ProductId\" = p.\"Id\")", outletId);
    }

    [Fact]
    public async Task The_products_page_issues_the_same_commands_at_10000_products_as_at_100()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        await AddProductsAsync(outlet.Id, 100, 1);

        async Task<(int Commands, ProductPage Page)> PageAsync(string? search)
        {
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            var page = await new ProductStockList(db, _clock).PageAsync(new ProductQuery(outlet.Id, search, ProductSort.Sku, Skip: 25, Take: 25));
            return (counter.Count, page);
        }

        var (small, smallPage) = await PageAsync(null);
        var (smallSearch, _) = await PageAsync("Bulk");
        await AddProductsAsync(outlet.Id, 9_900, 101);
        var (large, largePage) = await PageAsync(null);
        var (largeSearch, _) = await PageAsync("Bulk");

        smallPage.Total.ShouldBe(100);
        largePage.Total.ShouldBe(10_000);
        largePage.Rows.Count.ShouldBe(25);
        largePage.Rows[0].Stock.Sku.ShouldBe("BULK-000026");
        largePage.Rows.ShouldAllBe(r => r.Stock.OnHand == 10 && r.Active);
        large.ShouldBe(small);
        largeSearch.ShouldBe(smallSearch);
        small.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task Badges_search_and_unique_sku_and_barcode_reported_on_their_fields()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var low = await shop.ProductAsync("LOW", reorderLevel: 5);
        var soon = await shop.ProductAsync("SOON", reorderLevel: 0);
        await shop.BatchAsync(outlet, low, 3, shop.Today.AddDays(200));
        await shop.BatchAsync(outlet, soon, 50, shop.Today.AddDays(10));
        await using var db = _database.Open();
        var catalog = new ProductCatalog(db, _clock);
        var list = new ProductStockList(db, _clock);

        var id = await catalog.SaveAsync(new ProductInput(null, "NEW-1", "5012345678900", "New cream", 4.50m, 2, true));
        var page = await list.PageAsync(new ProductQuery(outlet.Id, null, ProductSort.Sku));
        page.Rows.Select(r => r.Stock.Sku).ShouldBe(["LOW", "NEW-1", "SOON"]);
        page.Rows[0].ShouldSatisfyAllConditions(r => r.Stock.LowStock.ShouldBeTrue(), r => r.NearExpiry.ShouldBeFalse());
        page.Rows[2].ShouldSatisfyAllConditions(r => r.Stock.LowStock.ShouldBeFalse(), r => r.NearExpiry.ShouldBeTrue());
        (await list.PageAsync(new ProductQuery(outlet.Id, "5012345678900"))).Rows.ShouldHaveSingleItem().Stock.ProductId.ShouldBe(id);
        (await list.PageAsync(new ProductQuery(outlet.Id, "cream"))).Total.ShouldBe(1);

        var clash = await Should.ThrowAsync<ValidationFailedException>(() => catalog.SaveAsync(new ProductInput(null, "LOW", "5012345678900", "x", 1m, 0, true)));
        clash.Errors["sku"].ShouldHaveSingleItem().ShouldContain("LOW");
        clash.Errors["barcode"].ShouldHaveSingleItem().ShouldContain("NEW-1");
        var bad = await Should.ThrowAsync<ValidationFailedException>(() => catalog.SaveAsync(new ProductInput(null, " ", null, "", -1m, -1, true)));
        bad.Errors.Keys.ShouldBe(["sku", "name", "price", "reorderLevel"], ignoreOrder: true);

        await catalog.SaveAsync(new ProductInput(id, "NEW-1", null, "New cream 50 ml", 4.75m, 2, true));
        await catalog.SetActiveAsync(id, false);
        var saved = await db.Products.AsNoTracking().SingleAsync(p => p.Id == id);
        saved.ShouldSatisfyAllConditions(p => p.Name.ShouldBe("New cream 50 ml"), p => p.Barcode.ShouldBeNull(), p => p.Active.ShouldBeFalse());
        (await list.PageAsync(new ProductQuery(outlet.Id, null, IncludeInactive: false))).Total.ShouldBe(2);
    }
}
