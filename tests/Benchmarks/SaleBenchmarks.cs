using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>
/// A one-line sale that takes one unit from each of N batches: the engine (three commands) against the naive way
/// (load the batches, change and save them one by one), in the same run.
/// </summary>
[MemoryDiagnoser]
public class SaleBenchmarks
{
    private BenchDatabase _db = null!;

    [Params(1, 10, 100)]
    public int Batches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase();
        _db.Create(Batches, unitsPerBatch: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [IterationSetup]
    public void Refill() => _db.Refill(1);

    [Benchmark(Baseline = true)]
    public async Task<int> NaiveSale()
    {
        // The audit's shape: entities loaded, one SaveChanges per batch.
        await using var db = _db.Open();
        await using var tx = await db.Database.BeginTransactionAsync();
        var batches = await db.Batches.Where(b => b.OutletId == _db.OutletId && b.ProductId == _db.ProductId).OrderBy(b => b.ExpiryDate).ToListAsync();
        foreach (var batch in batches.Take(Batches))
        {
            batch.OnHand -= 1;
            db.Movements.Add(StockMovement.For(batch, MovementKind.Sale, -1, DateTime.UtcNow, "naive"));
            await db.SaveChangesAsync();
        }
        await tx.CommitAsync();
        return batches.Count;
    }

    [Benchmark]
    public async Task<int> FefoSale()
    {
        await using var db = _db.Open();
        var sale = new SaleRequest(Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-1), [new SaleLineRequest(BenchDatabase.Sku, Batches, 1m)]);
        // Every batch holds one unit, so the sale of N units allocates from all N batches.
        var outcome = await new SaleRecorder(db, TimeProvider.System, NoStockChangeNotifier.Instance).RecordSaleAsync(sale, new Counter(_db.OutletId));
        return outcome.Sale.Lines[0].Allocated;
    }
}
