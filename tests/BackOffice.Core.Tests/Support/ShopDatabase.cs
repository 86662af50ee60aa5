using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Core.Tests.Support;

/// <summary>
/// A real SQLite database file per test (a copy of the migrated template, see <see cref="TestDatabase"/>), opened with
/// pooled connections and a long busy timeout, as the concurrency tests' separate writers need. Contexts made here are
/// separate connections, as separate requests would be.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly TestDb _file = TestDatabase.CreateAsync().GetAwaiter().GetResult();

    public string Path => _file.Path;
    public string ConnectionString => $"Data Source={Path};Default Timeout=60";

    public BackOfficeDb Open(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.Sqlite, ConnectionString);
        if (interceptors.Length > 0) options.AddInterceptors(interceptors);
        return new BackOfficeDb(options.Options);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _file.Dispose();
    }
}
