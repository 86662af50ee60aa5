using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Core.Tests.Support;

/// <summary>
/// A real SQLite database file per test, copied from a template migrated once per run (migrating takes far longer
/// than copying a file). Contexts made here are separate connections, as separate requests would be.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private static readonly Lazy<string> Template = new(CreateTemplate);
    private readonly string _directory;

    public string Path { get; }
    public string ConnectionString { get; }

    public SqliteDatabase()
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backoffice-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "test.db");
        File.Copy(Template.Value, Path);
        ConnectionString = $"Data Source={Path};Default Timeout=60";
    }

    public BackOfficeDb Open(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.Sqlite, ConnectionString);
        if (interceptors.Length > 0) options.AddInterceptors(interceptors);
        return new BackOfficeDb(options.Options);
    }

    private static string CreateTemplate()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backoffice-tests");
        Directory.CreateDirectory(dir);
        var path = System.IO.Path.Combine(dir, $"template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False").Options;
        using (var db = new BackOfficeDb(options))
        {
            db.Database.Migrate();
            // Fold the WAL into the file so that a plain copy carries the whole schema.
            db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
