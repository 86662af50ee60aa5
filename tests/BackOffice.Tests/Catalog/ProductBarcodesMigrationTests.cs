using BackOffice.Core.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BackOffice.Tests.Catalog;

/// <summary>The ProductBarcodes migration's hand-written backfill, on the run's provider: products made before it keep their barcode.</summary>
public sealed class ProductBarcodesMigrationTests : IDisposable
{
    private readonly ShopDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Existing_barcodes_become_the_first_entry_keyed_as_gtin_14_and_a_shared_gtin_stays_with_the_older_product()
    {
        string? before;
        await using (var db = _database.Open())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_ProductBarcodes", StringComparison.Ordinal));
            before = migrations[index - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
        }
        await using (var db = _database.Open())
        {
            // Written as before the migration: products with a barcode column only.
            foreach (var (sku, barcode) in new[] { ("EAN", "5012345678900"), ("UPC", "036000291452"), ("EAN8", "96385074"), ("OWN", "SHELF-7"),
                         ("BADCHECK", "5012345678901"), ("NONE", (string?)null), ("SAME-GTIN", "05012345678900") })
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Products" ("Sku", "Barcode", "Name", "Price", "ReorderLevel", "TracksExpiry", "Active", "CreatedAt", "UpdatedAt", "TaxCategory")
                    VALUES ({sku}, {barcode}, {sku}, {1.5m}, {0}, {false}, {true}, {new DateTime(2026, 1, 1)}, {new DateTime(2026, 1, 1)}, {"standard"})
                    """);
            await db.Database.MigrateAsync();
        }

        await using var check = _database.Open();
        var keys = await check.ProductBarcodes.OrderBy(b => b.Product.Sku).Select(b => new { b.Product.Sku, b.Code, b.Key }).ToListAsync();
        keys.Select(k => (k.Sku, k.Code, k.Key)).ShouldBe([
            ("BADCHECK", "5012345678901", "5012345678901"),
            ("EAN", "5012345678900", "05012345678900"),
            ("EAN8", "96385074", "00000096385074"),
            ("OWN", "SHELF-7", "SHELF-7"),
            ("UPC", "036000291452", "00036000291452"),
        ]);
        keys.ShouldAllBe(k => k.Key == ProductBarcodes.KeyOf(k.Code), "the SQL keys as the code does");
    }
}
