using BackOffice.Core.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Testing;

/// <summary>
/// A database per test on the SQL Server of <c>BACKOFFICE_TEST_SQLSERVER</c> (a connection string with rights to create
/// databases; the run is asked for, never started here): created, migrated (and seeded) by the app's own migrations, and
/// dropped after. SQL Server has no template databases, so each costs a migration: this run is slower than the others.
/// </summary>
public sealed class SqlServerDatabase : IDisposable
{
    private SqlServerDatabase(string name) => Name = name;

    public string Name { get; }
    public string ConnectionString => With(Name);

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("BACKOFFICE_TEST_SQLSERVER") is { Length: > 0 } cs ? cs
        : throw new InvalidOperationException("BACKOFFICE_TEST_SQLSERVER is not set: the SQL Server run needs a connection string to a server (README, Tests).");

    /// <summary>A migrated database, with the demo data seeded at <see cref="TestDatabase.SeedNow"/> when asked.</summary>
    public static async Task<SqlServerDatabase> CreateAsync(bool seeded = false)
    {
        var database = new SqlServerDatabase("bo_test_" + Guid.NewGuid().ToString("N"));
        await ExecuteAsync($"CREATE DATABASE [{database.Name}]");
        try
        {
            await using var db = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>()
                .UseBackOfficeDatabase(DatabaseProvider.SqlServer, database.ConnectionString).Options);
            await db.Database.MigrateAsync();
            if (seeded) await DemoData.SeedAsync(db, TestDatabase.DemoSeed, TestDatabase.SeedNow);
        }
        catch
        {
            database.Dispose();
            throw;
        }
        return database;
    }

    public void Dispose()
    {
        SqlConnection.ClearAllPools();
        ExecuteAsync($"IF DB_ID(N'{Name}') IS NOT NULL BEGIN ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}]; END")
            .GetAwaiter().GetResult();
    }

    private static string With(string database) => new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = database }.ToString();

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqlConnection(With("master"));
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }
}
