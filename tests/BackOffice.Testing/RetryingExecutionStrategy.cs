using Microsoft.EntityFrameworkCore.Storage;

namespace BackOffice.Testing;

/// <summary>
/// A retrying execution strategy for SQLite test databases, like SQL Server's and PostgreSQL's EnableRetryOnFailure: it
/// refuses a transaction begun outside it, so any write that would fail on a server database fails a SQLite test too.
/// (It never actually retries: SQLite has no transient failures to retry.)
/// </summary>
public sealed class RetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(10))
{
    protected override bool ShouldRetryOn(Exception exception) => false;
}
