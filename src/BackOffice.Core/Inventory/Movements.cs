using BackOffice.Core.Data;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>The SQL pieces every stock write shares: a ledger row, and the guarded change of a batch quantity.</summary>
internal static class Movements
{
    public const string Columns = "\"BatchId\", \"OutletId\", \"ProductId\", \"Kind\", \"Quantity\", \"Reference\", \"UserName\", \"TillId\", \"CreatedAt\", \"Note\"";

    /// <summary>
    /// A ledger row. <paramref name="outletId"/> and <paramref name="productId"/> are the batch's own, read with it in the
    /// same transaction (the copy on the movement exists for indexing only).
    /// </summary>
    public static string Row(WriteBatch w, string batchParameter, int outletId, int productId, MovementKind kind, int quantity,
        string referenceParameter, string atParameter, Counter? counter = null, string? userName = null, string? note = null) =>
        Row(w, batchParameter, outletId, WriteBatch.N(productId), kind, WriteBatch.N(quantity), referenceParameter, atParameter, counter, userName, note);

    /// <summary>A ledger row whose product and quantity are SQL expressions (columns of a row table).</summary>
    public static string Row(WriteBatch w, string batch, int outletId, string product, MovementKind kind, string quantity,
        string referenceParameter, string atParameter, Counter? counter = null, string? userName = null, string? note = null) =>
        $"{batch}, {WriteBatch.N(outletId)}, {product}, {WriteBatch.N((int)kind)}, {quantity}, {referenceParameter}, " +
        $"{w.P(counter?.UserName ?? userName)}, {WriteBatch.N(counter?.TillId)}, {atParameter}, {w.P(note)}";

    /// <summary>
    /// Takes units out of batches in ONE statement, each only if nobody changed it since it was read (version) and it
    /// still holds the units; the write batch expects one changed row per batch, so any stale batch fails the whole write.
    /// </summary>
    public static void TakeFromBatches(WriteBatch w, IReadOnlyCollection<(string BatchParameter, int Quantity, int Version)> takes) =>
        w.ForEachRow("\"TakeBatchId\", \"TakeQuantity\", \"TakeVersion\"",
            takes.Select(t => $"{t.BatchParameter}, {WriteBatch.N(t.Quantity)}, {WriteBatch.N(t.Version)}").ToList(),
            "UPDATE \"Batches\" SET \"OnHand\" = \"Batches\".\"OnHand\" - v.\"TakeQuantity\", \"Version\" = \"Batches\".\"Version\" + 1 FROM v " +
            "WHERE \"Batches\".\"Id\" = v.\"TakeBatchId\" AND \"Batches\".\"Version\" = v.\"TakeVersion\" AND \"Batches\".\"OnHand\" >= v.\"TakeQuantity\"");

    /// <summary>Puts units into a batch (or takes them, with a negative change), never below zero.</summary>
    public static void ChangeBatch(WriteBatch w, string batchParameter, int change, int? version = null) =>
        w.UpdateOne($"UPDATE \"Batches\" SET \"OnHand\" = \"OnHand\" + {WriteBatch.N(change)}, \"Version\" = \"Version\" + 1 " +
                    $"WHERE \"Id\" = {batchParameter} AND \"OnHand\" + {WriteBatch.N(change)} >= 0" +
                    (version is { } v ? $" AND \"Version\" = {WriteBatch.N(v)}" : ""));

    /// <summary>
    /// Batches to allocate from. On SQL Server the read takes update locks on the rows it reads (never READPAST,
    /// which would skip locked rows and break FEFO); SQLite's write transaction already holds the database write lock.
    /// </summary>
    public static IQueryable<Batch> BatchesForUpdate(this BackOfficeDb db) =>
        db.Database.IsSqlServer()
            ? db.Batches.FromSqlRaw("SELECT * FROM \"Batches\" WITH (UPDLOCK, ROWLOCK)")
            : db.Batches;
}
