using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Lots;

/// <summary>Where a lot is and went, at one outlet.</summary>
public sealed record LotAtOutlet(string OutletCode, string OutletName, int OnHand, int Received, int Sold, int Returned, int TransferredIn,
    int TransferredOut, int Disposed, int Other);

/// <summary>A lot under recall and the units of it still on hand across the chain.</summary>
public sealed record RecalledLot(int LotId, string Sku, string ProductName, string LotNumber, string Reason, DateTime RecalledAt, string? RecalledBy, int OnHand);

/// <summary>A sale that took units of the lot: who to call when it is recalled.</summary>
public sealed record LotSale(Guid SaleId, string OutletCode, string? TillName, DateTimeOffset OccurredAt, int Quantity);

/// <summary>
/// The trace of a lot (api.md, "Lot status and recall"): its status, what was received, what is on hand where, and every sale
/// that took units of it. Every figure is summed in SQL from the ledger and the batches.
/// </summary>
public sealed record LotTrace(string Sku, string ProductName, string LotNumber, DateOnly? ExpiryDate, string Status, string? Reason,
    DateTime? StatusChangedAt, string? StatusChangedBy, int Received, int OnHand, int Sold, int Returned, int Disposed,
    IReadOnlyList<LotAtOutlet> Outlets, IReadOnlyList<LotSale> Sales, int SalesTotal);

/// <summary>
/// Recalls and releases lots. A lot is one (product, lot number) across every outlet; a recall quarantines every batch of it
/// (<see cref="Batch.Quarantined"/>): the packs stay on hand until disposed of, but are out of <c>available</c>, out of FEFO and
/// flagged at the tills. The recall and the release are in the ledger as a movement of no units on each batch, with the reason.
/// </summary>
public sealed class LotRecalls(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    public const int MaxReasonLength = 500;
    /// <summary>The trace lists at most this many sales (newest first); <see cref="LotTrace.SalesTotal"/> counts them all.</summary>
    public const int MaxSalesListed = 1000;

    public static string StatusName(LotStatus status) => status == LotStatus.Recalled ? "recalled" : "active";

    public Task<LotTrace> RecallAsync(string sku, string lotNumber, string? reason, string? userName, CancellationToken ct = default) =>
        SetStatusAsync(sku, lotNumber, LotStatus.Recalled, reason, userName, ct);

    public Task<LotTrace> ReleaseAsync(string sku, string lotNumber, string? reason, string? userName, CancellationToken ct = default) =>
        SetStatusAsync(sku, lotNumber, LotStatus.Active, reason, userName, ct);

    /// <summary>
    /// One transaction of a constant number of commands whatever the number of batches and outlets: the lock, the lot,
    /// its batches (locked), and one write of the lot's row, the batches and their ledger lines. Setting the status a lot
    /// already has changes nothing and answers the same trace.
    /// </summary>
    private async Task<LotTrace> SetStatusAsync(string sku, string lotNumber, LotStatus status, string? reason, string? userName, CancellationToken ct)
    {
        sku = sku?.Trim() ?? "";
        var lot = ReceiptRules.Lot(lotNumber) ?? "";
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var problems = new Problems();
        if (sku.Length == 0) problems.Add("sku", "sku is required.");
        if (lot.Length == 0) problems.Add("lotNumber", "lotNumber is required.");
        else if (lot.Length > ReceiptRules.MaxLotLength) problems.Add("lotNumber", $"lotNumber is at most {ReceiptRules.MaxLotLength} characters.");
        if (reason is null) problems.Add("reason", status == LotStatus.Recalled ? "Say why the lot is recalled (the notice or its reference)." : "Say why the lot is released.");
        else if (reason.Length > MaxReasonLength) problems.Add("reason", $"The reason is at most {MaxReasonLength} characters.");
        problems.ThrowIfAny(status == LotStatus.Recalled ? "The lot was not recalled." : "The lot was not released.");

        using var activity = BackOfficeTelemetry.StartStockWrite(status == LotStatus.Recalled ? "recall" : "release");
        var touched = await db.RetryingStockWriteAsync(async c =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.BeginStockWriteAsync(c);
            await db.LockLotStatusesAsync(exclusive: true, c);
            var product = await db.Products.Where(p => p.Sku == sku).Select(p => new { p.Id }).FirstOrDefaultAsync(c)
                ?? throw new LotNotFoundException($"Unknown sku '{sku}'.");
            var batches = await db.BatchesForUpdate().Where(b => b.ProductId == product.Id && b.LotNumber == lot)
                .Select(b => new { b.Id, b.OutletId, b.Quarantined, b.Version }).ToListAsync(c);
            if (batches.Count == 0) throw new LotNotFoundException($"Lot '{lot}' of '{sku}' was never received.");

            var row = await db.Lots.FirstOrDefaultAsync(l => l.ProductId == product.Id && l.LotNumber == lot, c);
            var quarantine = status == LotStatus.Recalled;
            var changing = batches.Where(b => b.Quarantined != quarantine).ToList();
            if ((row?.Status ?? LotStatus.Active) == status && changing.Count == 0)
            {
                await tx.RollbackAsync(c);
                return [];
            }

            var now = clock.GetUtcNow().UtcDateTime;
            if (row is null) db.Lots.Add(row = new Lot { ProductId = product.Id, LotNumber = lot });
            row.Status = status;
            row.Reason = reason!;
            row.ChangedAt = now;
            row.ChangedBy = userName;
            await db.SaveChangesAsync(c);

            var w = new WriteBatch();
            var kind = quarantine ? MovementKind.Recall : MovementKind.Release;
            var reference = MovementReference.Recall(row.Id).ToString();
            w.ForEachRow(changing.Select(b => new QuarantineRow(b.Id, quarantine, b.Version)).ToList(), m =>
            {
                string C(string property) => StockTables.Column<Batch>(m, property);
                var table = StockTables.Table<Batch>(m);
                return $"UPDATE {table} SET {C(nameof(Batch.Quarantined))} = v.\"{nameof(QuarantineRow.SetQuarantined)}\", " +
                       $"{C(nameof(Batch.Version))} = {table}.{C(nameof(Batch.Version))} + 1 FROM v " +
                       $"WHERE {table}.{C(nameof(Batch.Id))} = v.\"{nameof(QuarantineRow.QuarantineBatchId)}\" " +
                       $"AND {table}.{C(nameof(Batch.Version))} = v.\"{nameof(QuarantineRow.QuarantineVersion)}\"";
            });
            w.Insert(StockTables.Movements, batches.Select(b => Movements.Row(b.Id, b.OutletId, product.Id, kind, 0, reference, now, userName: userName, note: reason)).ToList());
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            return batches.Select(b => (b.OutletId, product.Id)).Distinct().ToList();
        }, ct);
        db.ChangeTracker.Clear();

        // Every outlet holding the lot hears of it: its tills stop offering those packs at once.
        if (touched.Count > 0)
        {
            var levels = await StockLevels.ForAsync(db, touched, clock.GetUtcNow(), ct);
            await notifier.StockChangedAsync(levels, ct);
            // The catalog's recalled lots changed too: a till refuses a scanned pack of the lot only once it has them.
            await notifier.CatalogChangedAsync(levels.Select(l => l.OutletCode).Distinct().ToList(), ct);
        }
        return await TraceAsync(sku, lot, ct) ?? throw new LotNotFoundException($"Lot '{lot}' of '{sku}' was never received.");
    }

    private sealed record QuarantineRow(Guid QuarantineBatchId, bool SetQuarantined, int QuarantineVersion);

    /// <summary>The lot's trace, or null when no batch of it was ever received. Five queries whatever the lot's history.</summary>
    public async Task<LotTrace?> TraceAsync(string sku, string lotNumber, CancellationToken ct = default)
    {
        var lot = ReceiptRules.Lot(lotNumber);
        if (lot is null || string.IsNullOrWhiteSpace(sku)) return null;
        var product = await db.Products.Where(p => p.Sku == sku.Trim())
            .Select(p => new
            {
                p.Id, p.Sku, p.Name,
                Status = db.Lots.Where(l => l.ProductId == p.Id && l.LotNumber == lot).Select(l => new { l.Status, l.Reason, l.ChangedAt, l.ChangedBy }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (product is null) return null;

        var lotBatches = db.Batches.Where(b => b.ProductId == product.Id && b.LotNumber == lot);
        var held = await (from g in lotBatches.GroupBy(b => b.OutletId)
                              .Select(g => new { OutletId = g.Key, OnHand = g.Sum(b => b.OnHand), Expiry = g.Min(b => b.ExpiryDate) })
                          join o in db.Outlets on g.OutletId equals o.Id
                          orderby o.Code
                          select new { g.OutletId, o.Code, o.Name, g.OnHand, g.Expiry }).ToListAsync(ct);
        if (held.Count == 0) return null;

        // The ledger of the lot's batches (the movement index on BatchId), summed per outlet and kind.
        var lotMovements = from m in db.Movements
                           join b in lotBatches on m.BatchId equals b.Id
                           select m;
        var moved = await lotMovements.GroupBy(m => new { m.OutletId, m.Kind })
            .Select(g => new { g.Key.OutletId, g.Key.Kind, Quantity = g.Sum(m => m.Quantity) })
            .ToListAsync(ct);
        int Sum(int? outletId, params MovementKind[] kinds) =>
            moved.Where(m => (outletId is null || m.OutletId == outletId) && kinds.Contains(m.Kind)).Sum(m => m.Quantity);

        var saleMovements = lotMovements.Where(m => m.Kind == MovementKind.Sale && m.Reference != null);
        var salesTotal = await saleMovements.Select(m => m.Reference).Distinct().CountAsync(ct);
        var newest = await saleMovements.GroupBy(m => m.Reference)
            .Select(g => new { Reference = g.Key!, Quantity = -g.Sum(m => m.Quantity), Last = g.Max(m => m.Id) })
            .OrderByDescending(g => g.Last).Take(MaxSalesListed).ToListAsync(ct);
        var saleIds = newest.Select(s => MovementReference.Parse(s.Reference)?.DocumentId).OfType<Guid>().ToList();
        var sales = saleIds.Count == 0 ? [] : await (from s in db.Sales.Where(s => EF.Parameter(saleIds).Contains(s.Id))
                                                     join o in db.Outlets on s.OutletId equals o.Id
                                                     join t in db.Tills on s.TillId equals (int?)t.Id into tills
                                                     from t in tills.DefaultIfEmpty()
                                                     select new { s.Id, o.Code, Till = t == null ? null : t.Name, s.OccurredAt, s.OccurredOffsetMinutes })
            .ToDictionaryAsync(s => s.Id, ct);
        var listed = newest.Select(n => (Id: MovementReference.Parse(n.Reference)?.DocumentId, n.Quantity))
            .Where(n => n.Id is { } id && sales.ContainsKey(id))
            .Select(n =>
            {
                var s = sales[n.Id!.Value];
                var offset = TimeSpan.FromMinutes(s.OccurredOffsetMinutes);
                return new LotSale(s.Id, s.Code, s.Till, new DateTimeOffset(DateTime.SpecifyKind(s.OccurredAt, DateTimeKind.Unspecified) + offset, offset), n.Quantity);
            })
            .OrderByDescending(s => s.OccurredAt).ToList();

        var outlets = held.Select(h => new LotAtOutlet(h.Code, h.Name, h.OnHand, Sum(h.OutletId, MovementKind.Receipt), -Sum(h.OutletId, MovementKind.Sale),
            Sum(h.OutletId, MovementKind.Return), Sum(h.OutletId, MovementKind.TransferIn), -Sum(h.OutletId, MovementKind.TransferOut),
            -Sum(h.OutletId, MovementKind.Disposal), Sum(h.OutletId, MovementKind.Adjustment, MovementKind.StockTake, MovementKind.Expiry))).ToList();
        return new LotTrace(product.Sku, product.Name, lot, held.Min(h => h.Expiry), StatusName(product.Status?.Status ?? LotStatus.Active),
            product.Status?.Reason, product.Status?.ChangedAt, product.Status?.ChangedBy,
            Sum(null, MovementKind.Receipt), held.Sum(h => h.OnHand), -Sum(null, MovementKind.Sale), Sum(null, MovementKind.Return),
            -Sum(null, MovementKind.Disposal), outlets, listed, salesTotal);
    }

    /// <summary>Every lot under recall, newest first, with what is still on hand of it (summed in SQL): the pharmacist's worklist.</summary>
    public async Task<IReadOnlyList<RecalledLot>> RecalledAsync(CancellationToken ct = default) =>
        await (from l in db.Lots.Where(l => l.Status == LotStatus.Recalled)
               join p in db.Products on l.ProductId equals p.Id
               orderby l.ChangedAt descending, l.Id descending
               select new RecalledLot(l.Id, p.Sku, p.Name, l.LotNumber, l.Reason, l.ChangedAt, l.ChangedBy,
                   db.Batches.Where(b => b.ProductId == l.ProductId && b.LotNumber == l.LotNumber).Sum(b => b.OnHand)))
            .ToListAsync(ct);

    /// <summary>The sku and lot number of a lot's status row (a ledger line's reference names it by id).</summary>
    public async Task<(string Sku, string LotNumber)?> FindAsync(int lotId, CancellationToken ct = default) =>
        await (from l in db.Lots.Where(l => l.Id == lotId)
               join p in db.Products on l.ProductId equals p.Id
               select new { p.Sku, l.LotNumber }).FirstOrDefaultAsync(ct) is { } found ? (found.Sku, found.LotNumber) : null;

    /// <summary>The recalled lots of the catalog's products, for the tills to refuse those packs offline: one query.</summary>
    public static async Task<Dictionary<int, List<string>>> RecalledByProductAsync(BackOfficeDb db, CancellationToken ct) =>
        (await db.Lots.Where(l => l.Status == LotStatus.Recalled).OrderBy(l => l.LotNumber).Select(l => new { l.ProductId, l.LotNumber }).ToListAsync(ct))
            .GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.Select(l => l.LotNumber).ToList());
}

/// <summary>A lot (or its product) that does not exist: the API answers 404.</summary>
public sealed class LotNotFoundException(string message) : Exception(message);
