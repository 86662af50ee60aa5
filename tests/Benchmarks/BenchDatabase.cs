using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>A migrated SQLite file with one outlet, some products and N batches of each.</summary>
public sealed class BenchDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"backoffice-bench-{Guid.NewGuid():N}.db");
    public int OutletId { get; private set; }
    public int ProductId { get; private set; }
    public const string Sku = "BENCH-1";

    public BackOfficeDb Open() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseBackOfficeDatabase(DatabaseProvider.Sqlite, $"Data Source={Path}").Options);

    /// <summary>The outlet and <paramref name="products"/> products (BENCH-1, BENCH-2 …), each with <paramref name="batches"/> batches.</summary>
    public void Create(int batches, int unitsPerBatch, int products = 1)
    {
        using var db = Open();
        db.Database.Migrate();
        var outlet = new Outlet { Code = "B1", Name = "Bench", TimeZoneId = "Etc/UTC" };
        db.Add(outlet);
        db.SaveChanges();
        OutletId = outlet.Id;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var p = 1; p <= products; p++)
        {
            var product = new Product { Sku = SkuOf(p), Name = $"Bench {p}", Price = 1m, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            db.Add(product);
            db.SaveChanges();
            if (p == 1) ProductId = product.Id;
            for (var i = 0; i < batches; i++)
            {
                var batch = new Batch
                {
                    Id = Guid.NewGuid(), OutletId = outlet.Id, ProductId = product.Id, LotNumber = $"L{i}", ExpiryDate = today.AddDays(30 + i),
                    QuantityReceived = unitsPerBatch, OnHand = unitsPerBatch, UnitCost = 0.5m, ReceivedAt = DateTime.UtcNow.AddDays(-1)
                };
                db.Batches.Add(batch);
                db.Movements.Add(StockMovement.For(batch, MovementKind.Receipt, unitsPerBatch, batch.ReceivedAt, "bench"));
            }
            db.SaveChanges();
        }
    }

    public static string SkuOf(int product) => $"BENCH-{product}";

    /// <summary>Puts every batch back to full, so that each iteration sells from the same state.</summary>
    public void Refill(int unitsPerBatch)
    {
        using var db = Open();
        db.Batches.ExecuteUpdate(s => s.SetProperty(b => b.OnHand, unitsPerBatch));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { Path, Path + "-wal", Path + "-shm" }) File.Delete(f);
    }
}
