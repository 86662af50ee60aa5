using BackOffice.Core.Data;
using BackOffice.Core.Lots;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>A transfer as the transfers page lists it.</summary>
public sealed record RecentTransfer(DateTime CreatedAt, string From, string To, int Units, string? By, string? Note);

/// <summary>
/// Goods in, goods moved, corrections: every change of a batch quantity writes its ledger movement in the same
/// transaction, in one guarded write, and tells the tills after commit.
/// </summary>
public sealed class InventoryService(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    /// <summary>
    /// Receives a delivery: each line goes into a new batch, or into the outlet's batch with the same product, lot
    /// and expiry (its unit cost becomes the weighted average). All lines or none.
    /// </summary>
    public async Task<ReceiptResult> ReceiveAsync(ReceiveGoods goods, string? userName, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (goods.Lines is null || goods.Lines.Count == 0) problems.Add("lines", "A receipt needs at least one line.");
        for (var i = 0; i < (goods.Lines?.Count ?? 0); i++)
        {
            var l = goods.Lines![i];
            if (string.IsNullOrWhiteSpace(l.Sku)) problems.Add($"lines[{i}].sku", "sku is required.");
            foreach (var (field, message) in ReceiptRules.Line(l.Quantity, l.UnitCost, l.LotNumber)) problems.Add($"lines[{i}].{field}", message);
        }
        // Without lines there is nothing more to check; otherwise every line's problems are reported together below.
        if (goods.Lines is not { Count: > 0 }) problems.ThrowIfAny("The receipt is not valid.");

        using var activity = BackOfficeTelemetry.StartStockWrite("receipt")?.SetTag("backoffice.outlet_code", goods.OutletCode)
            .SetTag("backoffice.lines", goods.Lines!.Count);
        var (result, touched) = await db.RetryingStockWriteAsync(async c =>
        {
            var now = clock.GetUtcNow();
            await using var tx = await db.BeginStockWriteAsync(c);
            var outlet = await db.Outlets.Where(o => o.Code == goods.OutletCode).Select(o => new { o.Id, o.TimeZoneId, o.ClosedAt }).FirstOrDefaultAsync(c);
            if (ReceiptRules.Outlet(goods.OutletCode, outlet is not null, outlet?.ClosedAt) is { } refused) problems.Add("outletCode", refused);
            var skus = goods.Lines!.Select(l => l.Sku).Distinct().ToList();
            var products = await db.Products.Where(p => EF.Parameter(skus).Contains(p.Sku))
                .Select(p => new { p.Id, p.Sku, p.TracksExpiry }).ToDictionaryAsync(p => p.Sku, c);
            var today = outlet is null ? DateOnly.MinValue : ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(outlet.TimeZoneId), now);
            for (var i = 0; i < goods.Lines!.Count; i++)
            {
                var l = goods.Lines[i];
                if (!products.TryGetValue(l.Sku, out var p)) { problems.Add($"lines[{i}].sku", $"Unknown sku '{l.Sku}'."); continue; }
                foreach (var (field, message) in ReceiptRules.Expiry(l.Sku, p.TracksExpiry, l.ExpiryDate, today)) problems.Add($"lines[{i}].{field}", message);
            }
            problems.ThrowIfAny("The receipt is not valid.");

            var receipt = new ReceiptToWrite(Guid.NewGuid(), outlet!.Id, goods.Reference,
                goods.Lines.Select(l => new LineToReceive(products[l.Sku].Id, l.Sku, l.LotNumber, l.ExpiryDate, l.Quantity, l.UnitCost)).ToList());
            var received = await WriteReceiptsAsync([receipt], userName, now.UtcDateTime, c);
            await tx.CommitAsync(c);
            return (received[0], products.Values.Select(p => (outlet.Id, p.Id)).ToList());
        }, ct);
        await NotifyAsync(touched, ct);
        return result;
    }

    /// <summary>A receipt checked and resolved, ready to write: its outlet, and each line's product.</summary>
    internal sealed record ReceiptToWrite(Guid ReceiptId, int OutletId, string? Reference, IReadOnlyList<LineToReceive> Lines);

    internal sealed record LineToReceive(int ProductId, string Sku, string? LotNumber, DateOnly? ExpiryDate, int Quantity, decimal UnitCost);

    /// <summary>
    /// Writes checked receipts inside the caller's stock-write transaction: each line goes into a new batch, or into its
    /// outlet's batch with the same product, lot and expiry (its unit cost becomes the weighted average); a new batch of a
    /// recalled lot is quarantined. Three commands whatever the number of receipts and lines (four on the server databases,
    /// with the lot-status lock): one read of the batches to top up, one of the recalled lots, one write.
    /// </summary>
    internal async Task<List<ReceiptResult>> WriteReceiptsAsync(IReadOnlyList<ReceiptToWrite> receipts, string? userName, DateTime at, CancellationToken c)
    {
        var outletIds = receipts.Select(r => r.OutletId).Distinct().ToList();
        var productIds = receipts.SelectMany(r => r.Lines).Select(l => l.ProductId).Distinct().ToList();
        // EF.Parameter: one list parameter, not one per value (a large file has thousands of products).
        var existing = (await db.BatchesForUpdate().Where(b => EF.Parameter(outletIds).Contains(b.OutletId) && EF.Parameter(productIds).Contains(b.ProductId))
                .Select(b => new { b.Id, b.OutletId, b.ProductId, b.LotNumber, b.ExpiryDate, b.OnHand, b.UnitCost, b.Version }).ToListAsync(c))
            .GroupBy(b => (b.OutletId, b.ProductId, b.LotNumber, b.ExpiryDate)).ToDictionary(g => g.Key, g => g.First());
        // A delivery of a recalled lot is received (the packs are here) straight into quarantine.
        await db.LockLotStatusesAsync(exclusive: false, c);
        var recalled = (await db.Lots.Where(l => l.Status == LotStatus.Recalled && EF.Parameter(productIds).Contains(l.ProductId))
            .Select(l => new { l.ProductId, l.LotNumber }).ToListAsync(c)).Select(l => (l.ProductId, (string?)l.LotNumber)).ToHashSet();

        var w = new WriteBatch();
        var receiptRows = new List<ReceiptRow>();
        var batchRows = new List<BatchRow>();
        var movementRows = new List<MovementRow>();
        var topUps = new List<TopUp>();
        var results = new List<ReceiptResult>();
        foreach (var receipt in receipts)
        {
            var reference = MovementReference.Receipt(receipt.ReceiptId).ToString();
            var received = new List<ReceivedBatch>();
            // Lines for the same lot of the same product add up into one batch.
            foreach (var group in receipt.Lines.GroupBy(l => (l.ProductId, l.Sku, Lot: ReceiptRules.Lot(l.LotNumber), l.ExpiryDate)))
            {
                var (productId, sku, lot, expiry) = group.Key;
                var quantity = group.Sum(l => l.Quantity);
                var cost = group.Sum(l => l.Quantity * l.UnitCost) / quantity;
                Guid batchId;
                if (!existing.TryGetValue((receipt.OutletId, productId, lot, expiry), out var match))
                {
                    batchId = Guid.NewGuid();
                    batchRows.Add(new BatchRow(batchId, receipt.OutletId, productId, lot, expiry, quantity, quantity, decimal.Round(cost, 4), at, 0,
                        recalled.Contains((productId, lot))));
                }
                else
                {
                    batchId = match.Id;
                    var averageCost = decimal.Round((match.OnHand * match.UnitCost + quantity * cost) / (match.OnHand + quantity), 4);
                    topUps.Add(new TopUp(batchId, quantity, averageCost, match.Version));
                }
                movementRows.Add(Movements.Row(batchId, receipt.OutletId, productId, MovementKind.Receipt, quantity, reference, at, userName: userName));
                received.Add(new ReceivedBatch(batchId, sku, lot, expiry, quantity));
            }
            receiptRows.Add(new ReceiptRow(receipt.ReceiptId, receipt.OutletId, receipt.Reference, at, userName));
            results.Add(new ReceiptResult(receipt.ReceiptId, received));
        }
        // Lines of a lot the outlet already holds top its batch up, at the average cost, guarded by the version read.
        w.ForEachRow(topUps, m =>
        {
            string C(string property) => StockTables.Column<Batch>(m, property);
            var batches = StockTables.Table<Batch>(m);
            return $"UPDATE {batches} SET {C(nameof(Batch.OnHand))} = {batches}.{C(nameof(Batch.OnHand))} + v.\"{nameof(TopUp.TopUpQuantity)}\", " +
                   $"{C(nameof(Batch.QuantityReceived))} = {batches}.{C(nameof(Batch.QuantityReceived))} + v.\"{nameof(TopUp.TopUpQuantity)}\", " +
                   $"{C(nameof(Batch.UnitCost))} = v.\"{nameof(TopUp.TopUpUnitCost)}\", {C(nameof(Batch.Version))} = {batches}.{C(nameof(Batch.Version))} + 1 FROM v " +
                   $"WHERE {batches}.{C(nameof(Batch.Id))} = v.\"{nameof(TopUp.TopUpBatchId)}\" AND {batches}.{C(nameof(Batch.Version))} = v.\"{nameof(TopUp.TopUpVersion)}\"";
        });
        w.Insert(StockTables.Receipts, receiptRows);
        w.Insert(StockTables.Batches, batchRows);
        w.Insert(StockTables.Movements, movementRows);
        await w.ExecuteAsync(db, c);
        return results;
    }

    /// <summary>Corrects one batch by a signed quantity, with a reason; never below zero.</summary>
    public async Task AdjustAsync(Guid batchId, int change, AdjustmentReason reason, string? note, string? userName, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (change == 0) problems.Add("quantity", "The adjustment must change the quantity.");
        if (!Enum.IsDefined(reason)) problems.Add("reason", "Choose a reason: damage, theft, found or correction.");
        if (note is { Length: > 500 }) problems.Add("note", "The note is at most 500 characters.");
        problems.ThrowIfAny("The adjustment is not valid.");

        using var activity = BackOfficeTelemetry.StartStockWrite("adjustment")?.SetTag("backoffice.batch_id", batchId);
        var touched = await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            var batch = await db.BatchesForUpdate().Where(b => b.Id == batchId)
                .Select(b => new { b.OutletId, b.ProductId, b.OnHand, b.Version }).FirstOrDefaultAsync(c);
            if (batch is null) problems.Add("batchId", "Unknown batch.");
            else if (batch.OnHand + change < 0) problems.Add("quantity", $"The batch holds {batch.OnHand}: it cannot lose {-change}.");
            problems.ThrowIfAny("The adjustment is not valid.");

            var w = new WriteBatch();
            Movements.ChangeBatches(w, [new Movements.BatchChange(batchId, change, batch!.Version)]);
            w.Insert(StockTables.Movements,
                [Movements.Row(batchId, batch.OutletId, batch.ProductId, MovementKind.Adjustment, change, MovementReference.Adjustment(reason).ToString(), clock.GetUtcNow().UtcDateTime, userName: userName, note: note)]);
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            return new[] { (batch.OutletId, batch.ProductId) };
        }, ct);
        await NotifyAsync(touched, ct);
    }

    /// <summary>
    /// The latest transfers with the units each moved (its transfer-in movements, found by reference and summed in one
    /// grouped query): two commands whatever the ledger's size.
    /// </summary>
    public async Task<List<RecentTransfer>> RecentTransfersAsync(int count, CancellationToken ct = default)
    {
        var last = await (from t in db.Transfers
                          join f in db.Outlets on t.FromOutletId equals f.Id
                          join o in db.Outlets on t.ToOutletId equals o.Id
                          orderby t.CreatedAt descending
                          select new { t.Id, t.CreatedAt, From = f.Code, To = o.Code, t.CreatedBy, t.Note }).Take(Math.Clamp(count, 1, 200)).ToListAsync(ct);
        var references = last.Select(t => MovementReference.Transfer(t.Id).ToString()).ToList();
        var units = await db.Movements.Where(m => m.Kind == MovementKind.TransferIn && references.Contains(m.Reference!))
            .GroupBy(m => m.Reference).Select(g => new { g.Key, Units = g.Sum(m => m.Quantity) }).ToDictionaryAsync(g => g.Key!, g => g.Units, ct);
        return last.Select(t => new RecentTransfer(t.CreatedAt, t.From, t.To, units.GetValueOrDefault(MovementReference.Transfer(t.Id).ToString()), t.CreatedBy, t.Note)).ToList();
    }

    /// <summary>Which batches a transfer would take, FEFO from the source's sellable stock; nothing is written.</summary>
    public async Task<IReadOnlyList<TransferredBatch>> PreviewTransferAsync(TransferGoods goods, CancellationToken ct = default)
    {
        var plan = await PlanTransferAsync(goods, ct);
        return plan.Moves.Select(m => new TransferredBatch(m.Sku, m.From.BatchId, Guid.Empty, m.From.LotNumber, m.From.ExpiryDate, m.Quantity)).ToList();
    }

    /// <summary>
    /// Moves stock between outlets: out of the source's batches FEFO (sellable stock only; a transfer cannot move
    /// what is not there), into the destination keeping lot, expiry and unit cost.
    /// </summary>
    public async Task<TransferResult> TransferAsync(TransferGoods goods, string? userName, CancellationToken ct = default)
    {
        using var activity = BackOfficeTelemetry.StartStockWrite("transfer");
        var (result, touched) = await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            var plan = await PlanTransferAsync(goods, c);
            var productIds = plan.Moves.Select(m => m.From.ProductId).Distinct().ToList();
            var destination = await db.BatchesForUpdate().Where(b => b.OutletId == plan.ToOutletId && productIds.Contains(b.ProductId))
                .Select(b => new { b.Id, b.ProductId, b.LotNumber, b.ExpiryDate, b.UnitCost, b.Version }).ToListAsync(c);
            var costs = await db.Batches.Where(b => plan.Moves.Select(m => m.From.BatchId).Contains(b.Id))
                .Select(b => new { b.Id, b.UnitCost }).ToDictionaryAsync(b => b.Id, b => b.UnitCost, c);

            var now = clock.GetUtcNow().UtcDateTime;
            var transferId = Guid.NewGuid();
            var w = new WriteBatch();
            var at = now;
            var reference = MovementReference.Transfer(transferId).ToString();
            var movementRows = new List<MovementRow>();
            var moved = new List<TransferredBatch>();
            Movements.TakeFromBatches(w, plan.Moves.Select(m => new Movements.Take(m.From.BatchId, m.Quantity, m.From.Version)).ToList());
            var created = new Dictionary<(int, string?, DateOnly?, decimal), (Guid Id, int Quantity)>();
            var into = new List<Movements.BatchChange>();
            foreach (var move in plan.Moves)
            {
                movementRows.Add(Movements.Row(move.From.BatchId, plan.FromOutletId, move.From.ProductId, MovementKind.TransferOut, -move.Quantity, reference, at, userName: userName, note: goods.Note));

                // Into the destination's batch of the same lot, expiry and cost, or a new one keeping them.
                var cost = costs[move.From.BatchId];
                var key = (move.From.ProductId, move.From.LotNumber, move.From.ExpiryDate, cost);
                var match = destination.FirstOrDefault(b => b.ProductId == key.ProductId && b.LotNumber == key.LotNumber && b.ExpiryDate == key.ExpiryDate && b.UnitCost == cost);
                Guid toId;
                if (match is not null)
                {
                    toId = match.Id;
                    into.Add(new Movements.BatchChange(toId, move.Quantity));
                }
                else
                {
                    toId = created.TryGetValue(key, out var made) ? made.Id : Guid.NewGuid();
                    created[key] = (toId, made.Quantity + move.Quantity);
                }
                movementRows.Add(Movements.Row(toId, plan.ToOutletId, move.From.ProductId, MovementKind.TransferIn, move.Quantity, reference, at, userName: userName, note: goods.Note));
                moved.Add(new TransferredBatch(move.Sku, move.From.BatchId, toId, move.From.LotNumber, move.From.ExpiryDate, move.Quantity));
            }
            Movements.ChangeBatches(w, into);
            // Statements run in order within the one command: new batches exist before their movements reference them.
            w.Insert(StockTables.Batches, created.Select(kv => new BatchRow(kv.Value.Id, plan.ToOutletId, kv.Key.Item1, kv.Key.Item2, kv.Key.Item3,
                kv.Value.Quantity, kv.Value.Quantity, kv.Key.Item4, at, 0)).ToList());
            w.Insert(StockTables.Movements, movementRows);
            w.Insert(StockTables.Transfers, [new TransferRow(transferId, plan.FromOutletId, plan.ToOutletId, at, userName, goods.Note)]);
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            var touchedPairs = productIds.SelectMany(p => new[] { (plan.FromOutletId, p), (plan.ToOutletId, p) }).ToList();
            return (new TransferResult(transferId, moved), touchedPairs);

        }, ct);
        await NotifyAsync(touched, ct);
        return result;
    }

    private sealed record TopUp(Guid TopUpBatchId, int TopUpQuantity, decimal TopUpUnitCost, int TopUpVersion);

    private sealed record Move(string Sku, Candidates.BatchRow From, int Quantity);

    private sealed record TransferPlan(int FromOutletId, int ToOutletId, IReadOnlyList<Move> Moves);

    private async Task<TransferPlan> PlanTransferAsync(TransferGoods goods, CancellationToken ct)
    {
        var problems = new Problems();
        if (goods.Lines is null || goods.Lines.Count == 0) problems.Add("lines", "A transfer needs at least one line.");
        if (goods.FromOutletCode == goods.ToOutletCode) problems.Add("toOutletCode", "Choose a different destination outlet.");
        for (var i = 0; i < (goods.Lines?.Count ?? 0); i++)
            if (goods.Lines![i].Quantity < 1) problems.Add($"lines[{i}].quantity", "quantity must be at least 1.");
        problems.ThrowIfAny("The transfer is not valid.");

        var codes = new[] { goods.FromOutletCode, goods.ToOutletCode };
        var outlets = await db.Outlets.Where(o => codes.Contains(o.Code)).Select(o => new { o.Id, o.Code, o.TimeZoneId, o.ClosedAt }).ToListAsync(ct);
        var from = outlets.FirstOrDefault(o => o.Code == goods.FromOutletCode);
        var to = outlets.FirstOrDefault(o => o.Code == goods.ToOutletCode);
        if (from is null) problems.Add("fromOutletCode", $"Unknown outlet '{goods.FromOutletCode}'.");
        if (to is null) problems.Add("toOutletCode", $"Unknown outlet '{goods.ToOutletCode}'.");
        // Out of a closed outlet is how its last stock leaves; into one is refused.
        else if (to.ClosedAt is { } closed) problems.Add("toOutletCode", $"Outlet '{goods.ToOutletCode}' is closed (since {closed:yyyy-MM-dd}): it takes no stock.");
        problems.ThrowIfAny("The transfer is not valid.");

        var today = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(from!.TimeZoneId), clock.GetUtcNow());
        var candidates = await Candidates.ReadAsync(db, from.Id, goods.Lines!.Select(l => l.Sku).Distinct().ToList(), today, ct);
        var remaining = candidates.Batches.Values.SelectMany(b => b).ToDictionary(b => b.BatchId, b => b.OnHand);
        var moves = new List<Move>();
        for (var i = 0; i < goods.Lines!.Count; i++)
        {
            var line = goods.Lines[i];
            if (!candidates.Products.TryGetValue(line.Sku, out var product)) { problems.Add($"lines[{i}].sku", $"Unknown sku '{line.Sku}'."); continue; }
            var batches = candidates.Batches.GetValueOrDefault(product.ProductId) ?? [];
            var (taken, shortfall) = Fefo.Allocate(batches, b => remaining[b.BatchId], line.Quantity);
            if (shortfall > 0)
            {
                problems.Add($"lines[{i}].quantity", $"Only {line.Quantity - shortfall} of '{line.Sku}' can be moved from {goods.FromOutletCode}.");
                continue;
            }
            foreach (var (batch, quantity) in taken)
            {
                remaining[batch.BatchId] -= quantity;
                moves.Add(new Move(line.Sku, batch, quantity));
            }
        }
        problems.ThrowIfAny("The transfer is not valid.");
        // One guarded take per source batch, even when two lines draw on the same batch.
        var merged = moves.GroupBy(m => m.From.BatchId).Select(g => g.First() with { Quantity = g.Sum(m => m.Quantity) }).ToList();
        return new TransferPlan(from.Id, to!.Id, merged);
    }

    /// <summary>Tells the tills the stock levels of what a write changed, after commit.</summary>
    internal async Task NotifyAsync(IReadOnlyCollection<(int OutletId, int ProductId)> touched, CancellationToken ct) =>
        await notifier.StockChangedAsync(await StockLevels.ForAsync(db, touched, clock.GetUtcNow(), ct), ct);
}
