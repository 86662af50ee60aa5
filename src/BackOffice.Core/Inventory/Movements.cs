using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BackOffice.Core.Inventory;

/// <summary>The SQL pieces every stock write shares: a ledger row, and the guarded change of a batch quantity.</summary>
internal static class Movements
{
    /// <summary>
    /// A ledger row. <paramref name="outletId"/> and <paramref name="productId"/> are the batch's own, read with it in the
    /// same transaction (the copy on the movement exists for indexing only).
    /// </summary>
    public static MovementRow Row(Guid batchId, int outletId, int productId, MovementKind kind, int quantity, string reference, DateTime at,
        Counter? counter = null, string? userName = null, string? note = null) =>
        new(batchId, outletId, productId, kind, quantity, reference, counter?.UserName ?? userName, counter?.TillId, at, note);

    /// <summary>A take of units from one batch, guarded by the version it was read at.</summary>
    public sealed record Take(Guid TakeBatchId, int TakeQuantity, int TakeVersion);

    /// <summary>
    /// Takes units out of batches in ONE statement, each only if nobody changed it since it was read (version) and it
    /// still holds the units; the write batch expects one changed row per batch, so any stale batch fails the whole write.
    /// </summary>
    public static void TakeFromBatches(WriteBatch w, IReadOnlyCollection<Take> takes) =>
        w.ForEachRow(takes, m =>
        {
            var (batches, id, onHand, version) = BatchNames(m);
            return $"UPDATE {batches} SET {onHand} = {batches}.{onHand} - v.\"{nameof(Take.TakeQuantity)}\", {version} = {batches}.{version} + 1 FROM v " +
                   $"WHERE {batches}.{id} = v.\"{nameof(Take.TakeBatchId)}\" AND {batches}.{version} = v.\"{nameof(Take.TakeVersion)}\" " +
                   $"AND {batches}.{onHand} >= v.\"{nameof(Take.TakeQuantity)}\"";
        });

    /// <summary>A change of a batch's units (negative takes them), guarded by the version it was read at when one is given.</summary>
    public sealed record BatchChange(Guid BatchId, int Change, int? Version = null);

    private sealed record ChangeRow(Guid ChangeBatchId, int ChangeQuantity, int? ChangeVersion);

    /// <summary>
    /// Puts units into batches (or takes them) in ONE statement, never below zero; changes of one batch are added up
    /// first, since an UPDATE … FROM changes a row once however many of its rows match.
    /// </summary>
    public static void ChangeBatches(WriteBatch w, IEnumerable<BatchChange> changes)
    {
        var rows = changes.GroupBy(c => c.BatchId)
            .Select(g => new ChangeRow(g.Key, g.Sum(c => c.Change), g.Select(c => c.Version).FirstOrDefault(v => v is not null)))
            .ToList();
        w.ForEachRow(rows, m =>
        {
            var (batches, id, onHand, version) = BatchNames(m);
            return $"UPDATE {batches} SET {onHand} = {batches}.{onHand} + v.\"{nameof(ChangeRow.ChangeQuantity)}\", {version} = {batches}.{version} + 1 FROM v " +
                   $"WHERE {batches}.{id} = v.\"{nameof(ChangeRow.ChangeBatchId)}\" AND {batches}.{onHand} + v.\"{nameof(ChangeRow.ChangeQuantity)}\" >= 0 " +
                   $"AND (v.\"{nameof(ChangeRow.ChangeVersion)}\" IS NULL OR {batches}.{version} = v.\"{nameof(ChangeRow.ChangeVersion)}\")";
        });
    }

    private static (string Table, string Id, string OnHand, string Version) BatchNames(IModel m) =>
        (StockTables.Table<Batch>(m), StockTables.Column<Batch>(m, nameof(Batch.Id)), StockTables.Column<Batch>(m, nameof(Batch.OnHand)),
            StockTables.Column<Batch>(m, nameof(Batch.Version)));

    public const string SqlServerBatchesForUpdate = "SELECT * FROM \"Batches\" WITH (UPDLOCK, ROWLOCK)";

    /// <summary>
    /// Batch rows to write: read with row locks held to the end of the transaction, so that two writers of the same
    /// batches take turns instead of one failing its guard. SQL Server takes update locks (never READPAST, which would
    /// skip locked rows and break FEFO), PostgreSQL FOR UPDATE (<see cref="PostgresRowLocks"/>); SQLite's write
    /// transaction already holds the database's write lock.
    /// </summary>
    public static IQueryable<Batch> BatchesForUpdate(this BackOfficeDb db) => db.Database.Provider() switch
    {
        DatabaseProvider.SqlServer => db.Batches.FromSqlRaw(SqlServerBatchesForUpdate),
        DatabaseProvider.PostgreSql => db.Batches.TagWith(PostgresRowLocks.Tag),
        _ => db.Batches,
    };

    /// <summary>
    /// Batches for a grouped read that a write follows (the expiry job). PostgreSQL takes no row lock in a grouped read;
    /// there the job's own lock keeps a second run out.
    /// </summary>
    public static IQueryable<Batch> BatchesToGroupForUpdate(this BackOfficeDb db) =>
        db.Database.IsSqlServer() ? db.BatchesForUpdate() : db.Batches;
}
