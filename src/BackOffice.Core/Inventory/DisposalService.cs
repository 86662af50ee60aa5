using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>One batch on an outlet's disposal list: what must leave the shelf, and why.</summary>
public sealed record DisposalLine(Guid BatchId, string Sku, string ProductName, string? LotNumber, DateOnly? ExpiryDate, int Quantity,
    decimal UnitCost, DisposalReason Reason);

/// <summary>A page of an outlet's disposal list, with the whole list's batches and units.</summary>
public sealed record DisposalList(string OutletCode, string OutletName, DateTime? ClosedAt, IReadOnlyList<DisposalLine> Rows, int TotalRows, int TotalUnits);

/// <summary>What to take off the shelf: batches of the list, and how many units of each (null: all it holds).</summary>
public sealed record DisposeGoods(string OutletCode, IReadOnlyList<DisposeLine> Lines, DisposalOutcome Outcome, string? Reference);

public sealed record DisposeLine(Guid BatchId, int? Quantity = null);

public sealed record DisposalResult(Guid DisposalId, int Lines, int Units);

/// <summary>A disposal as the disposal page lists it, with the units it took off the shelf.</summary>
public sealed record RecentDisposal(Guid Id, DateTime CreatedAt, string OutletCode, DisposalOutcome Outcome, string Reference, int Units, string? By);

/// <summary>
/// The disposal list of an outlet (<see cref="Disposal.MustLeaveShelf"/>) and its disposal: the chosen units leave their
/// batches with one disposal movement each, under one document, in one guarded write.
/// </summary>
public sealed class DisposalService(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    /// <summary>At most this many lines in one disposal: a full list page after page, well within one command.</summary>
    public const int MaxLines = 5_000;

    public const int MaxReferenceLength = 100;

    /// <summary>
    /// A page of what must leave the shelf at an outlet, oldest expiry first, with the list's totals: three commands (the
    /// outlet, the totals grouped in SQL, the page) whatever the list's length.
    /// </summary>
    public async Task<DisposalList> ListAsync(string outletCode, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var outlet = await db.Outlets.Where(o => o.Code == outletCode).Select(o => new { o.Id, o.Code, o.Name, o.TimeZoneId, o.ClosedAt }).FirstOrDefaultAsync(ct)
                     ?? throw new ValidationFailedException("Unknown outlet.", new Dictionary<string, string[]> { ["outletCode"] = [$"Unknown outlet '{outletCode}'."] });
        var days = new OutletDays([(outlet.Id, outlet.TimeZoneId)], clock.GetUtcNow());
        var batches = db.Batches.Where(b => b.OutletId == outlet.Id).Where(Disposal.MustLeaveShelf(days));
        var totals = await batches.GroupBy(b => b.OutletId).Select(g => new { Batches = g.Count(), Units = g.Sum(b => b.OnHand) }).FirstOrDefaultAsync(ct);
        var rows = await batches.OrderBy(b => b.ExpiryDate).ThenBy(b => b.Product.Name).ThenBy(b => b.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Select(b => new DisposalLine(b.Id, b.Product.Sku, b.Product.Name, b.LotNumber, b.ExpiryDate, b.OnHand, b.UnitCost, b.Quarantined ? DisposalReason.Recalled : DisposalReason.Expired))
            .ToListAsync(ct);
        return new DisposalList(outlet.Code, outlet.Name, outlet.ClosedAt, rows, totals?.Batches ?? 0, totals?.Units ?? 0);
    }

    /// <summary>
    /// The latest disposals at an outlet with the units each took (its movements, found by reference and summed in one
    /// grouped query): two commands whatever the ledger's size.
    /// </summary>
    public async Task<List<RecentDisposal>> RecentAsync(string outletCode, int count = 20, CancellationToken ct = default)
    {
        var last = await (from d in db.Disposals
                          join o in db.Outlets on d.OutletId equals o.Id
                          where o.Code == outletCode
                          orderby d.CreatedAt descending, d.Id
                          select new { d.Id, d.OutletId, d.CreatedAt, o.Code, d.Outcome, d.Reference, d.CreatedBy }).Take(Math.Clamp(count, 1, 200)).ToListAsync(ct);
        var references = last.Select(d => MovementReference.Disposal(d.Id).ToString()).ToList();
        var outletIds = last.Select(d => d.OutletId).Distinct().ToList();
        var units = await db.Movements.Where(m => outletIds.Contains(m.OutletId) && m.Kind == MovementKind.Disposal && references.Contains(m.Reference!))
            .GroupBy(m => m.Reference).Select(g => new { g.Key, Units = -g.Sum(m => m.Quantity) }).ToDictionaryAsync(g => g.Key!, g => g.Units, ct);
        return last.Select(d => new RecentDisposal(d.Id, d.CreatedAt, d.Code, d.Outcome, d.Reference,
            units.GetValueOrDefault(MovementReference.Disposal(d.Id).ToString()), d.CreatedBy)).ToList();
    }

    /// <summary>
    /// Takes the chosen units off the shelf: a negative disposal movement per line and the disposal document, all or none.
    /// Refused whole (field errors, nothing written) for a line not on the outlet's list now, more units than its batch holds,
    /// a closed or unknown outlet, or no reference. Two managers disposing of the same lines at once take turns on the
    /// batches' row locks, and the second finds the units gone: a batch never goes below zero and nothing leaves twice.
    /// </summary>
    public async Task<DisposalResult> DisposeAsync(DisposeGoods goods, string? userName, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (!Enum.IsDefined(goods.Outcome)) problems.Add("outcome", "Choose returned to supplier or destroyed.");
        var reference = goods.Reference?.Trim();
        if (string.IsNullOrEmpty(reference))
            problems.Add("reference", $"Enter the {Disposal.ReferenceName(goods.Outcome)}: it proves where the stock went.");
        else if (reference.Length > MaxReferenceLength) problems.Add("reference", $"The reference is at most {MaxReferenceLength} characters.");
        if (goods.Lines is null || goods.Lines.Count == 0) problems.Add("lines", "Choose at least one batch to dispose of.");
        else if (goods.Lines.Count > MaxLines) problems.Add("lines", $"A disposal has at most {MaxLines:N0} lines.");
        else
        {
            var seen = new HashSet<Guid>();
            for (var i = 0; i < goods.Lines.Count; i++)
            {
                if (goods.Lines[i].Quantity is < 1) problems.Add($"lines[{i}].quantity", "quantity must be at least 1.");
                if (!seen.Add(goods.Lines[i].BatchId)) problems.Add($"lines[{i}].batchId", "This batch is on the disposal twice.");
            }
        }
        problems.ThrowIfAny("The disposal is not valid.");

        using var activity = BackOfficeTelemetry.StartStockWrite("disposal")?.SetTag("backoffice.outlet_code", goods.OutletCode)
            .SetTag("backoffice.lines", goods.Lines!.Count);
        var (result, touched) = await db.RetryingStockWriteAsync(async c =>
        {
            var now = clock.GetUtcNow();
            await using var tx = await db.BeginStockWriteAsync(c);
            var outlet = await db.Outlets.Where(o => o.Code == goods.OutletCode).Select(o => new { o.Id, o.TimeZoneId, o.ClosedAt }).FirstOrDefaultAsync(c);
            if (outlet is null) problems.Add("outletCode", $"Unknown outlet '{goods.OutletCode}'.");
            else if (outlet.ClosedAt is { } closed) problems.Add("outletCode", $"Outlet '{goods.OutletCode}' is closed (since {closed:yyyy-MM-dd}): nothing is disposed of there.");
            problems.ThrowIfAny("The disposal is not valid.");

            // The chosen batches that are on the list now, locked (see BatchesForUpdate): a second disposal of them waits,
            // then reads what this one left.
            var ids = goods.Lines!.Select(l => l.BatchId).ToList();
            var days = new OutletDays([(outlet!.Id, outlet.TimeZoneId)], now);
            var listed = await db.BatchesForUpdate().Where(b => b.OutletId == outlet.Id && EF.Parameter(ids).Contains(b.Id))
                .Where(Disposal.MustLeaveShelf(days))
                .Select(b => new { b.Id, b.ProductId, b.OnHand, b.Version }).ToDictionaryAsync(b => b.Id, c);
            var takes = new List<Movements.Take>();
            for (var i = 0; i < goods.Lines!.Count; i++)
            {
                var line = goods.Lines[i];
                if (!listed.TryGetValue(line.BatchId, out var batch))
                {
                    problems.Add($"lines[{i}].batchId", $"This batch is not on {goods.OutletCode}'s disposal list (it is sellable, empty, already disposed of, or elsewhere).");
                    continue;
                }
                var quantity = line.Quantity ?? batch.OnHand;
                if (quantity > batch.OnHand) problems.Add($"lines[{i}].quantity", $"The batch holds {batch.OnHand}: it cannot lose {quantity}.");
                else takes.Add(new Movements.Take(batch.Id, quantity, batch.Version));
            }
            problems.ThrowIfAny("The disposal is not valid.");

            var disposalId = Guid.NewGuid();
            var at = now.UtcDateTime;
            var text = MovementReference.Disposal(disposalId).ToString();
            var note = Disposal.Note(goods.Outcome, reference!);
            var w = new WriteBatch();
            Movements.TakeFromBatches(w, takes);
            w.Insert(StockTables.Movements, takes.Select(t => Movements.Row(t.TakeBatchId, outlet.Id, listed[t.TakeBatchId].ProductId, MovementKind.Disposal,
                -t.TakeQuantity, text, at, userName: userName, note: note)).ToList());
            w.Insert(StockTables.Disposals, [new DisposalRow(disposalId, outlet.Id, goods.Outcome, reference!, at, userName)]);
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            return (new DisposalResult(disposalId, takes.Count, takes.Sum(t => t.TakeQuantity)),
                listed.Values.Select(b => (outlet.Id, b.ProductId)).Distinct().ToList());
        }, ct);
        // Sellable stock is unchanged, but pages showing on hand hear of it as of any other stock change.
        await notifier.StockChangedAsync(await StockLevels.ForAsync(db, touched, clock.GetUtcNow(), ct), ct);
        return result;
    }
}
