using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.Testing;

/// <summary>
/// A database per test on the PostgreSQL server of <c>BACKOFFICE_TEST_POSTGRES</c> (the test command starts a throwaway
/// cluster): made from a template migrated once per test run, which is a file copy inside the server, and dropped after.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private static readonly SemaphoreSlim Creating = new(1, 1);
    private static readonly Lazy<Task<string>> Template = new(() => BuildTemplateAsync(seed: false));
    private static readonly Lazy<Task<string>> SeededTemplate = new(() => BuildTemplateAsync(seed: true));

    private PostgresDatabase(string name) => Name = name;

    public string Name { get; }
    public string ConnectionString => With(Name);

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("BACKOFFICE_TEST_POSTGRES") is { Length: > 0 } cs ? cs
        : throw new InvalidOperationException("BACKOFFICE_TEST_POSTGRES is not set: the PostgreSQL run needs a server (the test command starts one).");

    /// <summary>A database made from the migrated template, or from the one with the demo data seeded at <see cref="TestDatabase.SeedNow"/>.</summary>
    public static async Task<PostgresDatabase> CreateAsync(bool seeded = false)
    {
        var template = await (seeded ? SeededTemplate : Template).Value;
        var name = "bo_test_" + Guid.NewGuid().ToString("N");
        // A template must have no other session while it is copied: one copy at a time in this process.
        await Creating.WaitAsync();
        try
        {
            await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        }
        finally
        {
            Creating.Release();
        }
        return new PostgresDatabase(name);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)").GetAwaiter().GetResult();
    }

    private static async Task<string> BuildTemplateAsync(bool seed)
    {
        var name = $"bo_{(seed ? "seeded" : "template")}_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        await using (var db = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.PostgreSql, With(name)).Options))
        {
            await db.Database.MigrateAsync();
            if (seed) await DemoData.SeedAsync(db, TestDatabase.DemoSeed, TestDatabase.SeedNow);
        }
        NpgsqlConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult(); } catch (NpgsqlException) { }
        };
        return name;
    }

    private static string With(string database) => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ToString();

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(With("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
