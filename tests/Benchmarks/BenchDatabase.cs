using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Benchmarks;

/// <summary>
/// A migrated database with one outlet, some products and N batches of each: a SQLite file, or, for PostgreSQL, a
/// database of its own on the server of <c>BACKOFFICE_BENCH_POSTGRES</c> (dropped at the end).
/// </summary>
public sealed class BenchDatabase : IDisposable
{
    private readonly string _postgresName = "bo_bench_" + Guid.NewGuid().ToString("N");

    public BenchDatabase(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Provider = provider;
        if (provider == DatabaseProvider.PostgreSql) Server(command => command.CommandText = $"CREATE DATABASE \"{_postgresName}\"");
        else if (provider != DatabaseProvider.Sqlite) throw new NotSupportedException($"No benchmark database on {provider}.");
    }

    /// <summary>The providers the engine benchmarks run on: SQLite, and PostgreSQL when BACKOFFICE_BENCH_POSTGRES names a server.</summary>
    public static IEnumerable<DatabaseProvider> Providers =>
        Environment.GetEnvironmentVariable("BACKOFFICE_BENCH_POSTGRES") is { Length: > 0 }
            ? [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql]
            : [DatabaseProvider.Sqlite];

    public DatabaseProvider Provider { get; }
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"backoffice-bench-{Guid.NewGuid():N}.db");
    public int OutletId { get; private set; }
    public int ProductId { get; private set; }
    public const string Sku = "BENCH-1";

    public string ConnectionString => Provider == DatabaseProvider.PostgreSql
        ? new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _postgresName }.ToString()
        : $"Data Source={Path}";

    private PooledDbContextFactory<BackOfficeDb>? _contexts;

    /// <summary>A context as the app gets one per request: from a pool of contexts on options built once (AddPooledDbContextFactory).</summary>
    public BackOfficeDb Open() => (_contexts ??= new PooledDbContextFactory<BackOfficeDb>(
        new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(Provider, ConnectionString).Options)).CreateDbContext();

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
        // PostgreSQL: the state autovacuum reaches after a bulk load (visibility map set, statistics read), so that the
        // stock index's INCLUDE (OnHand) is answered index-only, as on a shop's database that has been running a while.
        if (Provider == DatabaseProvider.PostgreSql) db.Database.ExecuteSqlRaw("VACUUM ANALYZE");
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
        if (Provider == DatabaseProvider.PostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
            Server(command => command.CommandText = $"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)");
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { Path, Path + "-wal", Path + "-shm" }) File.Delete(f);
    }

    private static string ServerConnectionString => Environment.GetEnvironmentVariable("BACKOFFICE_BENCH_POSTGRES")
        ?? throw new InvalidOperationException("BACKOFFICE_BENCH_POSTGRES is not set: the PostgreSQL benchmarks need a server.");

    private static void Server(Action<NpgsqlCommand> set)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres" }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        set(command);
        command.ExecuteNonQuery();
    }
}
