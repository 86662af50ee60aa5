using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>A migrated SQLite file with one outlet, one product and N batches of it.</summary>
public sealed class BenchDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"backoffice-bench-{Guid.NewGuid():N}.db");
    public int OutletId { get; private set; }
    public int ProductId { get; private set; }
    public const string Sku = "BENCH-1";

    public BackOfficeDb Open() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseBackOfficeDatabase(DatabaseProvider.Sqlite, $"Data Source={Path}").Options);

    public void Create(int batches, int unitsPerBatch)
    {
        using var db = Open();
        db.Database.Migrate();
        var outlet = new Outlet { Code = "B1", Name = "Bench", TimeZoneId = "Etc/UTC" };
        var product = new Product { Sku = Sku, Name = "Bench", Price = 1m, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.AddRange(outlet, product);
        db.SaveChanges();
        OutletId = outlet.Id;
        ProductId = product.Id;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < batches; i++)
        {
            var batch = new Batch { Id = Guid.NewGuid(), OutletId = outlet.Id, ProductId = product.Id, LotNumber = $"L{i}", ExpiryDate = today.AddDays(30 + i),
                QuantityReceived = unitsPerBatch, OnHand = unitsPerBatch, UnitCost = 0.5m, ReceivedAt = DateTime.UtcNow.AddDays(-1) };
            db.Batches.Add(batch);
            db.Movements.Add(StockMovement.For(batch, MovementKind.Receipt, unitsPerBatch, batch.ReceivedAt, "bench"));
        }
        db.SaveChanges();
    }

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
