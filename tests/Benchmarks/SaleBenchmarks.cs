using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>
/// A one-line sale that takes one unit from each of N batches: the engine (three commands) against the naive way
/// (load the batches, change and save them one by one) and against the floor (<see cref="FloorSale"/>: the same rows by
/// hand-prepared ADO.NET commands), in the same run, on SQLite and, with BACKOFFICE_BENCH_POSTGRES, on PostgreSQL. Each measured call records one such sale
/// of each of <see cref="Sales"/> products and counts as that many operations: one sale alone is too short for a
/// single-call measurement (which an iteration setup forces) and would time code the JIT has not yet optimised.
/// </summary>
[MemoryDiagnoser, MedianColumn]
public class SaleBenchmarks
{
    public const int Sales = 16;
    private BenchDatabase _db = null!;

    [ParamsSource(nameof(Providers))]
    public BackOffice.Core.Data.DatabaseProvider Provider { get; set; }

    public static IEnumerable<BackOffice.Core.Data.DatabaseProvider> Providers => BenchDatabase.Providers;

    [Params(1, 10, 100)]
    public int Batches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase(Provider);
        _db.Create(Batches, unitsPerBatch: 1, products: Sales);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [IterationSetup]
    public void Refill() => _db.Refill(1);

    [Benchmark(Baseline = true, OperationsPerInvoke = Sales)]
    public async Task<int> NaiveSale()
    {
        var taken = 0;
        for (var p = 1; p <= Sales; p++)
        {
            // The audit's shape: entities loaded, one SaveChanges per batch.
            await using var db = _db.Open();
            var sku = BenchDatabase.SkuOf(p);
            // Inside the execution strategy: PostgreSQL's retrying strategy refuses a transaction begun outside it.
            taken += await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var batches = await db.Batches.Where(b => b.OutletId == _db.OutletId && b.Product.Sku == sku).OrderBy(b => b.ExpiryDate).ToListAsync();
                var n = 0;
                foreach (var batch in batches.Take(Batches))
                {
                    batch.OnHand -= 1;
                    db.Movements.Add(StockMovement.For(batch, MovementKind.Sale, -1, DateTime.UtcNow, "naive"));
                    await db.SaveChangesAsync();
                    n++;
                }
                await tx.CommitAsync();
                return n;
            });
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Sales)]
    public async Task<int> FloorSale()
    {
        var taken = 0;
        for (var p = 1; p <= Sales; p++) taken += await Benchmarks.FloorSale.SellAsync(_db, BenchDatabase.SkuOf(p), Batches);
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Sales)]
    public async Task<int> FefoSale()
    {
        var taken = 0;
        for (var p = 1; p <= Sales; p++)
        {
            await using var db = _db.Open();
            // Every batch holds one unit, so the sale of N units allocates from all N batches.
            var sale = new SaleRequest(Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-1), [new SaleLineRequest(BenchDatabase.SkuOf(p), Batches, 1m)]);
            var outcome = await new SaleRecorder(db, TimeProvider.System, NoStockChangeNotifier.Instance).RecordSaleAsync(sale, new Counter(_db.OutletId));
            taken += outcome.Sale.Lines[0].Allocated;
        }
        return taken;
    }
}
