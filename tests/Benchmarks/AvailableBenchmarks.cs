using BackOffice.Core.Inventory;
using BenchmarkDotNet.Attributes;

namespace Benchmarks;

/// <summary>
/// The available-quantity query at 100 / 1,000 / 10,000 batches of one product: one indexed SUM, on SQLite and, with
/// BACKOFFICE_BENCH_POSTGRES, on PostgreSQL.
/// </summary>
[MemoryDiagnoser]
public class AvailableBenchmarks
{
    private BenchDatabase _db = null!;
    private DateOnly _today;

    [ParamsSource(nameof(Providers))]
    public BackOffice.Core.Data.DatabaseProvider Provider { get; set; }

    public static IEnumerable<BackOffice.Core.Data.DatabaseProvider> Providers => BenchDatabase.Providers;

    [Params(100, 1_000, 10_000)]
    public int Batches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase(Provider);
        _db.Create(Batches, unitsPerBatch: 10);
        _today = DateOnly.FromDateTime(DateTime.UtcNow);
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark]
    public async Task<int> Available()
    {
        await using var db = _db.Open();
        return await db.AvailableAsync(_db.OutletId, _db.ProductId, _today);
    }
}
