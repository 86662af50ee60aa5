#pragma warning disable EF1002 // test-only bulk SQL: every interpolated value is a number, a date or a generated lot prefix
using System.Data.Common;
using System.Globalization;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Core.Tests.Support;

/// <summary>
/// Many products and batches in a few statements (a numbers CTE in the run's dialect), each batch with its receipt movement, for
/// scale and command-count tests: 100,000 batches go in about as fast as the disk writes them.
/// </summary>
public static class BulkStock
{
    private static bool Postgres => ShopDatabase.Provider == DatabaseProvider.PostgreSql;

    /// <summary>0 … count-1 as a row source named n(i), in the run's dialect.</summary>
    private static string Numbers(int count) => Postgres
        ? $"WITH n(i) AS (SELECT generate_series(0, {count - 1}))"
        : $"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count})";

    /// <summary>Literals typed as the columns want them (PostgreSQL does not cast a text literal in INSERT … SELECT).</summary>
    public static string Timestamp(string value) => Postgres ? $"TIMESTAMP '{value}'" : $"'{value}'";
    public static string Date(string value) => Postgres ? $"DATE '{value}'" : $"'{value}'";
    public static string Number(string value) => Postgres ? value : $"'{value}'";
    public static string Flag(bool value) => Postgres ? (value ? "TRUE" : "FALSE") : (value ? "1" : "0");
    /// <summary>A new random UUID per row.</summary>
    public static string NewId => Postgres
        ? "gen_random_uuid()"
        : "upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)),2) || '-A' || substr(hex(randomblob(2)),2) || '-' || hex(randomblob(6)))";
    /// <summary>'{prefix}' followed by the row number, zero-padded to six digits when asked.</summary>
    public static string Numbered(string prefix, string i, bool padded = false) =>
        padded ? (Postgres ? $"'{prefix}' || lpad(CAST({i} AS text), 6, '0')" : $"printf('{prefix}%06d', {i})") : $"'{prefix}' || {i}";

    /// <summary>Adds <paramref name="count"/> products "{prefix}-0…"; returns their ids.</summary>
    public static async Task<List<int>> ProductsAsync(BackOfficeDb db, string prefix, int count, int reorderLevel = 0)
    {
        await db.Database.ExecuteSqlRawAsync($"""
            {Numbers(count)}
            INSERT INTO "Products" ("Sku", "Name", "Price", "ReorderLevel", "TracksExpiry", "Active", "CreatedAt", "UpdatedAt")
            SELECT {Numbered(prefix + "-", "i")}, {Numbered(prefix + " ", "i")}, {Number("1.00")}, {reorderLevel}, {Flag(true)}, {Flag(true)},
                   {Timestamp("2026-01-01 00:00:00")}, {Timestamp("2026-01-01 00:00:00")} FROM n
            """);
        return await db.Products.Where(p => p.Sku.StartsWith(prefix + "-")).Select(p => p.Id).OrderBy(id => id).ToListAsync();
    }

    /// <summary>
    /// Adds <paramref name="count"/> batches at the outlet spread over the products (ids contiguous from the first),
    /// each with <paramref name="onHand"/> units expiring on <paramref name="expiry"/>, and their receipt movements.
    /// </summary>
    public static async Task BatchesAsync(BackOfficeDb db, int outletId, IReadOnlyList<int> productIds, int count, DateOnly expiry, int onHand = 3)
    {
        var first = productIds.Min();
        productIds.Max().ShouldBe(first + productIds.Count - 1, "product ids must be contiguous");
        var lot = $"BULK{Guid.NewGuid():N}"[..16];
        var date = expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync($"""
                {Numbers(count)}
                INSERT INTO "Batches" ("Id", "OutletId", "ProductId", "LotNumber", "ExpiryDate", "QuantityReceived", "OnHand", "UnitCost", "ReceivedAt", "Version")
                SELECT {NewId}, {outletId}, {first} + (i % {productIds.Count}), {Numbered(lot + "-", "i")}, {Date(date)}, {onHand}, {onHand}, {Number("1.5")},
                       {Timestamp("2025-01-01 00:00:00")}, 0
                FROM n
                """);
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO "Movements" ("BatchId", "OutletId", "ProductId", "Kind", "Quantity", "Reference", "CreatedAt")
                SELECT "Id", "OutletId", "ProductId", 1, "OnHand", 'bulk', {Timestamp("2025-01-01 00:00:00")} FROM "Batches" WHERE "LotNumber" LIKE '{lot}-%'
                """);
            await tx.CommitAsync();
        });
    }
}

/// <summary>Counts the transactions begun on a context.</summary>
public sealed class TransactionCounter : DbTransactionInterceptor
{
    private int _count;
    public int Count => _count;

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }
}

/// <summary>Makes the command that follows the first one matching <paramref name="after"/> fail, as a crash half-way would.</summary>
public sealed class FailAfterCommand(Func<string, bool> after) : DbCommandInterceptor
{
    private bool _armed;
    public bool Failed { get; private set; }

    private void Check(DbCommand command)
    {
        if (Failed) return;
        if (_armed)
        {
            Failed = true;
            throw new InvalidOperationException("Injected failure before: " + command.CommandText);
        }
        if (after(command.CommandText)) _armed = true;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    { Check(command); return ValueTask.FromResult(result); }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    { Check(command); return ValueTask.FromResult(result); }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    { Check(command); return ValueTask.FromResult(result); }
}
