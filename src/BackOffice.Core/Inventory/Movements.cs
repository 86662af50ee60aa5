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

    /// <summary>Puts units into a batch (or takes them, with a negative change), never below zero.</summary>
    public static void ChangeBatch(WriteBatch w, Guid batchId, int change, int? version = null)
    {
        var batch = w.P(batchId);
        w.UpdateOne(m =>
        {
            var (batches, id, onHand, v) = BatchNames(m);
            return $"UPDATE {batches} SET {onHand} = {onHand} + {WriteBatch.N(change)}, {v} = {v} + 1 " +
                   $"WHERE {id} = {batch} AND {onHand} + {WriteBatch.N(change)} >= 0" + (version is { } at ? $" AND {v} = {WriteBatch.N(at)}" : "");
        });
    }

    private static (string Table, string Id, string OnHand, string Version) BatchNames(IModel m) =>
        (StockTables.Table<Batch>(m), StockTables.Column<Batch>(m, nameof(Batch.Id)), StockTables.Column<Batch>(m, nameof(Batch.OnHand)),
            StockTables.Column<Batch>(m, nameof(Batch.Version)));

    /// <summary>
    /// Batches to allocate from. On SQL Server the read takes update locks on the rows it reads (never READPAST,
    /// which would skip locked rows and break FEFO); SQLite's write transaction already holds the database write lock.
    /// </summary>
    public static IQueryable<Batch> BatchesForUpdate(this BackOfficeDb db) =>
        db.Database.IsSqlServer()
            ? db.Batches.FromSqlRaw("SELECT * FROM \"Batches\" WITH (UPDLOCK, ROWLOCK)")
            : db.Batches;
}
