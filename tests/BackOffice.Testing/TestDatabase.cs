using BackOffice.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Testing;

/// <summary>
/// Real SQLite files for tests. The migrations run once per test run into a template file (and once more,
/// with the demo data, into a seeded template); each test gets its own copy of a template, which is a file
/// copy: fast, and isolated from every other test.
/// </summary>
public static class TestDatabase
{
    /// <summary>The fixed clock of the seeded template, so that its expiry dates and figures never drift.</summary>
    public static readonly DateTimeOffset SeedNow = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    public const string DemoTillToken = "till_test_demo_token";
    public const string IntegrationApiKey = "key_test_integration";

    public static SeedOptions DemoSeed => new()
    {
        DemoData = true,
        DemoTillToken = DemoTillToken,
        IntegrationApiKey = IntegrationApiKey,
    };

    /// <summary>This run's folder; removed when the test process ends.</summary>
    public static readonly string RunFolder = CreateRunFolder();

    private static readonly Lazy<Task<string>> MigratedTemplate = new(() => BuildTemplateAsync("migrated", seed: false));
    private static readonly Lazy<Task<string>> SeededTemplate = new(() => BuildTemplateAsync("seeded", seed: true));

    /// <summary>A fresh, migrated, empty database.</summary>
    public static Task<TestDb> CreateAsync() => CopyAsync(MigratedTemplate.Value);

    /// <summary>A fresh copy of the migrated database with the demo data seeded at <see cref="SeedNow"/>.</summary>
    public static Task<TestDb> CreateSeededAsync() => CopyAsync(SeededTemplate.Value);

    /// <summary>A path for a database file that does not exist yet (for tests that build the schema themselves).</summary>
    public static TestDb CreateEmptyFile() => new(NewPath("empty"));

    public static string ConnectionStringFor(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    public static DbContextOptions<BackOfficeDb> OptionsFor(string path, params IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.Sqlite, ConnectionStringFor(path))
            .UseSqlite(o => o.ExecutionStrategy(d => new RetryingExecutionStrategy(d)));
        if (interceptors.Length > 0) builder.AddInterceptors(interceptors);
        return builder.Options;
    }

    private static async Task<TestDb> CopyAsync(Task<string> template)
    {
        var source = await template;
        var db = new TestDb(NewPath("test"));
        File.Copy(source, db.Path);
        return db;
    }

    private static async Task<string> BuildTemplateAsync(string name, bool seed)
    {
        var path = System.IO.Path.Combine(RunFolder, $"template-{name}.db");
        await using (var db = new BackOfficeDb(OptionsFor(path)))
        {
            await db.Database.MigrateAsync();
            if (seed) await DemoData.SeedAsync(db, DemoSeed, SeedNow);
            // Everything into the main file, so that a plain file copy is the whole database.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        return path;
    }

    private static string NewPath(string prefix) =>
        System.IO.Path.Combine(RunFolder, $"{prefix}-{Guid.NewGuid():N}.db");

    private static string CreateRunFolder()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backoffice-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return folder;
    }
}

/// <summary>One test's SQLite file and the contexts made on it.</summary>
public sealed class TestDb(string path) : IDisposable
{
    public string Path { get; } = path;
    public string ConnectionString => TestDatabase.ConnectionStringFor(Path);
    public DbContextOptions<BackOfficeDb> Options(params IInterceptor[] interceptors) => TestDatabase.OptionsFor(Path, interceptors);

    /// <summary>A new context on this database; dispose it (each unit of work gets its own, as in the app).</summary>
    public BackOfficeDb NewContext(params IInterceptor[] interceptors) => new(Options(interceptors));

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
