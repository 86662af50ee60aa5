#pragma warning disable EF1002 // bulk set-up SQL: every interpolated value is a number or a date
using BackOffice.Core.Inventory;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Benchmarks;

/// <summary>
/// The expiry job over N expired batches (2 outlets in two time zones × 200 products, plus 1,000 sellable batches
/// that stay): the run (one transaction, INSERT … SELECT of the 0-quantity expiry marks and the managers' notifications) and
/// the rerun that finds every expired batch marked. Expired stock stays on hand until disposed of; the rerun asks the filtered
/// index of unmarked batches on hand, which holds none of it. Targets at 100,000: run ≤ 3 s, rerun ≤ 100 ms.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ExpiryBenchmarks
{
    private BenchDatabase _db = null!;
    private DateOnly _today;

    [Params(100_000)]
    public int Batches { get; set; }

    [GlobalSetup(Target = nameof(Rerun))]
    public void SetupMarked()
    {
        Setup();
        MarkExpired().GetAwaiter().GetResult();
    }

    [GlobalSetup(Target = nameof(MarkExpired))]
    public void Setup()
    {
        _db = new BenchDatabase();
        _db.Create(batches: 0, unitsPerBatch: 1);
        _today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var db = _db.Open();
        db.Database.ExecuteSqlRaw("INSERT INTO \"Outlets\" (\"Code\", \"Name\", \"TimeZoneId\", \"Kind\") VALUES ('B2', 'Bench 2', 'America/New_York', 0)");
        db.Database.ExecuteSqlRaw("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 200)
            INSERT INTO "Products" ("Sku", "Name", "Price", "ReorderLevel", "TracksExpiry", "Active", "CreatedAt", "UpdatedAt")
            SELECT 'EXP-' || i, 'Expiring ' || i, '1.00', 0, 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM n
            """);
        var expired = _today.AddDays(-2).ToString("yyyy-MM-dd");
        var sellable = _today.AddDays(30).ToString("yyyy-MM-dd");
        foreach (var (count, expiry) in new[] { (Batches, expired), (1_000, sellable) })
            db.Database.ExecuteSqlRaw($"""
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count})
                INSERT INTO "Batches" ("Id", "OutletId", "ProductId", "LotNumber", "ExpiryDate", "QuantityReceived", "OnHand", "UnitCost", "ReceivedAt", "Version")
                SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                       (SELECT min("Id") FROM "Outlets") + (i % 2), (SELECT min("Id") FROM "Products" WHERE "Sku" LIKE 'EXP-%') + (i % 200),
                       'L' || i, '{expiry}', 3, 3, '1.5', '2025-01-01 00:00:00', 0
                FROM n
                """);
        db.Database.ExecuteSqlRaw("""
            INSERT INTO "Movements" ("BatchId", "OutletId", "ProductId", "Kind", "Quantity", "Reference", "CreatedAt")
            SELECT "Id", "OutletId", "ProductId", 1, "OnHand", 'bench', '2025-01-01 00:00:00' FROM "Batches"
            """);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    /// <summary>Removes the marks and notifications before each run, so that every iteration marks all of the expired stock.</summary>
    [IterationSetup(Target = nameof(MarkExpired))]
    public void Unmark()
    {
        using var db = _db.Open();
        db.Database.ExecuteSqlRaw($"DELETE FROM \"Movements\" WHERE \"Kind\" = {(int)MovementKind.Expiry}");
        db.Database.ExecuteSqlRaw("UPDATE \"Batches\" SET \"ExpiryMarkedAt\" = NULL");
        db.Database.ExecuteSqlRaw($"DELETE FROM \"Notifications\" WHERE \"Kind\" = {(int)NotificationKind.Expired}");
    }

    [Benchmark]
    public async Task<int> MarkExpired()
    {
        await using var db = _db.Open();
        var run = await new ExpiryMarking(db, TimeProvider.System, NoStockChangeNotifier.Instance, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        if (run.Batches != Batches) throw new InvalidOperationException($"marked {run.Batches}, expected {Batches}");
        return run.Batches;
    }

    [Benchmark]
    public async Task<int> Rerun()
    {
        await using var db = _db.Open();
        var run = await new ExpiryMarking(db, TimeProvider.System, NoStockChangeNotifier.Instance, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        return run.Batches;
    }
}
