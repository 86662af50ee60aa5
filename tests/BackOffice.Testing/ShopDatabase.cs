using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Xunit;

namespace BackOffice.Testing;

/// <summary>
/// A real database per test on the provider this run tests (<c>BACKOFFICE_TEST_PROVIDER</c>: SQLite by default,
/// PostgreSql with <c>BACKOFFICE_TEST_POSTGRES</c> naming a server, SqlServer with <c>BACKOFFICE_TEST_SQLSERVER</c>): a copy
/// of a migrated template file on SQLite, a database made from a migrated template database on PostgreSQL, a database
/// created and migrated on SQL Server. Contexts made here are separate connections, as
/// separate requests would be, so the concurrency tests' writers really run at once where the provider lets them.
/// </summary>
public sealed class ShopDatabase : IDisposable
{
    public static DatabaseProvider Provider { get; } = BackOfficeDatabase.Parse(Environment.GetEnvironmentVariable("BACKOFFICE_TEST_PROVIDER"));

    private readonly TestDb? _file;
    private readonly PostgresDatabase? _postgres;
    private readonly SqlServerDatabase? _sqlServer;

    /// <summary>A migrated, empty database.</summary>
    public ShopDatabase() : this(seeded: false) { }

    private ShopDatabase(bool seeded)
    {
        if (Provider == DatabaseProvider.PostgreSql) _postgres = PostgresDatabase.CreateAsync(seeded).GetAwaiter().GetResult();
        else if (Provider == DatabaseProvider.SqlServer) _sqlServer = SqlServerDatabase.CreateAsync(seeded).GetAwaiter().GetResult();
        else if (Provider == DatabaseProvider.Sqlite) _file = (seeded ? TestDatabase.CreateSeededAsync() : TestDatabase.CreateAsync()).GetAwaiter().GetResult();
        else throw new InvalidOperationException($"No test databases on {Provider}.");
    }

    /// <summary>A migrated database with the demo data seeded at <see cref="TestDatabase.SeedNow"/>.</summary>
    public static ShopDatabase Seeded() => new(seeded: true);

    /// <summary>The SQLite file (SQLite runs only).</summary>
    public string Path => _file?.Path ?? throw new InvalidOperationException($"No file: this run is on {Provider}.");

    /// <summary>What names this database in its connection string: the SQLite file, or the server's database.</summary>
    public string Name => _postgres?.Name ?? _sqlServer?.Name ?? _file!.Path;

    public string ConnectionString => _postgres?.ConnectionString ?? _sqlServer?.ConnectionString ?? $"Data Source={_file!.Path};Default Timeout=60";

    /// <summary>
    /// This database on <paramref name="options"/>, under a retrying strategy on every provider (the servers' is
    /// EnableRetryOnFailure): a transaction begun outside it fails.
    /// </summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options)
    {
        options.UseBackOfficeDatabase(Provider, ConnectionString);
        if (Provider == DatabaseProvider.Sqlite) options.UseSqlite(o => o.ExecutionStrategy(d => new RetryingExecutionStrategy(d)));
        return options;
    }

    public DbContextOptions<BackOfficeDb> Options(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<BackOfficeDb>();
        Configure(options);
        if (interceptors.Length > 0) options.AddInterceptors(interceptors);
        return options.Options;
    }

    public BackOfficeDb Open(params IInterceptor[] interceptors) => new(Options(interceptors));

    public void Dispose()
    {
        if (_postgres is not null) _postgres.Dispose();
        else if (_sqlServer is not null) _sqlServer.Dispose();
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _file!.Dispose();
        }
    }
}

/// <summary>A test of SQLite's own behaviour (its query planner, its write lock, its file): skipped, and counted as skipped, on another provider.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (ShopDatabase.Provider != DatabaseProvider.Sqlite) Skip = $"SQLite's own behaviour; this run is on {ShopDatabase.Provider}.";
    }
}

/// <summary>A theory about SQLite's own behaviour: skipped, and counted as skipped, on another provider.</summary>
public sealed class SqliteTheoryAttribute : TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (ShopDatabase.Provider != DatabaseProvider.Sqlite) Skip = $"SQLite's own behaviour; this run is on {ShopDatabase.Provider}.";
    }
}

/// <summary>A test of PostgreSQL's own behaviour (its prepared statements, its locks): skipped, and counted as skipped, on another provider.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (ShopDatabase.Provider != DatabaseProvider.PostgreSql) Skip = $"PostgreSQL's own behaviour; this run is on {ShopDatabase.Provider}.";
    }
}
