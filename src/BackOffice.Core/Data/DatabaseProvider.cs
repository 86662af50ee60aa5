using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BackOffice.Core.Data;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>The one place that knows how each provider is set up (used by the host, design-time factories and tests).</summary>
public static class BackOfficeDatabase
{
    public const string SqliteMigrationsAssembly = "BackOffice.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "BackOffice.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "BackOffice.Migrations.PostgreSql";

    /// <summary>
    /// DateTime columns are UTC values without a zone on every provider (datetime2 on SQL Server, TEXT on SQLite): on
    /// PostgreSQL too, `timestamp` rather than `timestamptz`, so that a DateTime is written as it is whatever its Kind.
    /// Npgsql reads the switch once, at its first use: set when this assembly loads, before any caller can touch Npgsql.
    /// </summary>
#pragma warning disable CA2255 // a process-wide switch that must precede any use of Npgsql: only the assembly's load does
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void UseTimestampsWithoutZone() => AppContext.SetSwitch("Npgsql.EnableLegacyTimestampBehavior", true);
#pragma warning restore CA2255

    public static DbContextOptionsBuilder UseBackOfficeDatabase(this DbContextOptionsBuilder options,
        DatabaseProvider provider, string connectionString) => provider switch
        {
            // A list in a query is one parameter (json_each, OPENJSON, a PostgreSQL array), not one parameter per value as EF 10
            // does by default: the SQL text then never depends on the list, so EF renders it once instead of at every run of
            // the sale's reads (a fifth of a 1-batch sale's time on SQLite), and SQL Server's 2,100-parameter limit is never near.
            DatabaseProvider.Sqlite => options
                .UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly).CommandTimeout(30)
                    .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(SqliteConnectionSetup.Instance),
            DatabaseProvider.SqlServer => options
                .UseSqlServer(connectionString, o => o.MigrationsAssembly(SqlServerMigrationsAssembly)
                    .EnableRetryOnFailure(3).CommandTimeout(30).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)),
            DatabaseProvider.PostgreSql => options
                .UseNpgsql(WithAutoPrepare(connectionString), o => o.MigrationsAssembly(PostgreSqlMigrationsAssembly)
                    .EnableRetryOnFailure(3).CommandTimeout(30).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(PostgresRowLocks.Instance),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string sets it: a statement run a second time on a physical
    /// connection becomes a server-side prepared statement, so PostgreSQL parses and plans the sale's statements once per
    /// connection instead of at every sale (the till load test: 223 → 385 sales/s, app CPU a sale 4.0 → 2.8 ms). Npgsql
    /// leaves it off by default.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ToString();
    }

    public static DbContextOptionsBuilder<BackOfficeDb> UseBackOfficeDatabase(this DbContextOptionsBuilder<BackOfficeDb> options,
        DatabaseProvider provider, string connectionString)
    {
        ((DbContextOptionsBuilder)options).UseBackOfficeDatabase(provider, connectionString);
        return options;
    }

    /// <summary>Makes a relative SQLite file path absolute under <paramref name="root"/> and sets a busy timeout.</summary>
    public static string NormalizeSqlite(string connectionString, string root)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource)
            && csb.Mode != SqliteOpenMode.Memory)
            csb.DataSource = Path.GetFullPath(Path.Combine(root, csb.DataSource));
        csb.Pooling = true;
        return csb.ToString();
    }

    public static DatabaseProvider Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var p) ? p
        : throw new InvalidOperationException($"Database:Provider '{value}' is not one of Sqlite, SqlServer, PostgreSql.");
}

/// <summary>
/// SQLite settings: WAL (persistent in the file, so set once per file per process) so readers never block the
/// writer; per connection a busy timeout so writers queue instead of failing, FULL sync (every commit is on disk before
/// it returns, so a sale answered 201 survives a crash or power loss of the server machine, not only of the process), and a
/// larger auto-checkpoint (8,000 pages, ~32 MB of WAL) so that the checkpoint's fsync comes less often on busy tills,
/// and temporary storage in memory: a statement that changes many rows keeps its statement journal there instead of
/// in a temp file (a 100-batch sale's ledger insert: 1.5 -> 0.85 ms).
/// Runs on the raw connection, so command counters do not see it.
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WalFiles = new();
    private const string Pragmas = "PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=8000; PRAGMA temp_store=MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>The settings above, on a connection opened without EF (the benchmarks' floor runs under the same ones).</summary>
    public static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = WalFiles.TryAdd(connection.DataSource, true) ? "PRAGMA journal_mode=WAL; " + Pragmas : Pragmas;
        cmd.ExecuteNonQuery();
    }
}

public static class DatabaseProviders
{
    /// <summary>Which of the three providers a context runs on (for the few statements each writes its own way).</summary>
    public static DatabaseProvider Provider(this DatabaseFacade database) =>
        database.IsSqlServer() ? DatabaseProvider.SqlServer : database.IsNpgsql() ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
}

/// <summary>
/// PostgreSQL's row locks for the queries tagged <see cref="Tag"/> (EF Core has no FOR UPDATE operator): the tagged
/// read of batch rows gets <c>FOR UPDATE</c>, so the rows it returns stay locked until the transaction ends.
/// </summary>
public sealed class PostgresRowLocks : DbCommandInterceptor
{
    public const string Tag = "backoffice:for-update";
    public static readonly PostgresRowLocks Instance = new();

    private static void Lock(DbCommand command)
    {
        if (command.CommandText.Contains("-- " + Tag, StringComparison.Ordinal) && !command.CommandText.EndsWith("FOR UPDATE", StringComparison.Ordinal))
            command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\nFOR UPDATE";
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Lock(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Lock(command);
        return ValueTask.FromResult(result);
    }
}
