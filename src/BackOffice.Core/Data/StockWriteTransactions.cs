using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackOffice.Core.Data;

/// <summary>How a stock write runs: its transaction per provider, the SQLite write gate, and the bounded retry inside the execution strategy.</summary>
public static class WriteTransactions
{
    /// <summary>
    /// Begins the transaction of a stock write. On SQLite it is BEGIN IMMEDIATE: the write lock is taken before the
    /// first read, so what the operation reads cannot change under it and writers queue on the busy timeout instead
    /// of failing at commit. On SQL Server it is READ COMMITTED, and candidate rows are read with UPDLOCK.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginStockWriteAsync(this BackOfficeDb db, CancellationToken ct)
    {
        // Microsoft.Data.Sqlite begins a Serializable transaction with BEGIN IMMEDIATE.
        if (db.Database.IsSqlite())
        {
            // A writer that finds the file locked sleeps in SQLite's busy handler (1, 2, 5 … 100 ms) before it tries again,
            // so under many tills the lock sits idle between writers. This process's writers queue on an async gate
            // instead and the lock passes from one to the next at once; other processes still wait on the busy timeout.
            var gate = SqliteWriteGate.For(db.Database.GetConnectionString() ?? "");
            await gate.WaitAsync(ct);
            try
            {
                return new GatedTransaction(await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct), gate);
            }
            catch
            {
                gate.Release();
                throw;
            }
        }
        return await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    /// <summary>
    /// Runs a stock write with a bounded retry: a guard that found the stock changed, or a deadlock victim on SQL Server,
    /// rolls back and starts again from a fresh read. Nothing of a failed attempt is kept.
    /// </summary>
    public static Task<T> RetryingStockWriteAsync<T>(this BackOfficeDb db, Func<CancellationToken, Task<T>> attempt, CancellationToken ct) =>
        // SQL Server's retrying execution strategy (EnableRetryOnFailure) refuses commands in a transaction the caller
        // began unless the whole unit runs inside the strategy; on SQLite the strategy just runs it.
        db.Database.CreateExecutionStrategy().ExecuteAsync(c => RetryingAsync(db, attempt, c), ct);

    private static async Task<T> RetryingAsync<T>(BackOfficeDb db, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt(ct);
            }
            catch (StockConflictException) when (tries < 5)
            {
                BackOfficeTelemetry.StockWriteRetried();
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(1, 10 * tries), ct);
            }
        }
    }
}

/// <summary>One async gate per SQLite file (by connection string) for the stock writers of this process.</summary>
internal static class SqliteWriteGate
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public static SemaphoreSlim For(string connectionString) => Gates.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1));
}

/// <summary>A stock-write transaction that opens the SQLite write gate again when it commits, rolls back or is disposed.</summary>
internal sealed class GatedTransaction(IDbContextTransaction inner, SemaphoreSlim gate) : IDbContextTransaction
{
    private int _released;

    public Guid TransactionId => inner.TransactionId;

    public void Commit()
    {
        try { inner.Commit(); } finally { Release(); }
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        try { await inner.CommitAsync(cancellationToken); } finally { Release(); }
    }

    public void Rollback()
    {
        try { inner.Rollback(); } finally { Release(); }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        try { await inner.RollbackAsync(cancellationToken); } finally { Release(); }
    }

    public void Dispose()
    {
        try { inner.Dispose(); } finally { Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        try { await inner.DisposeAsync(); } finally { Release(); }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
    }
}
