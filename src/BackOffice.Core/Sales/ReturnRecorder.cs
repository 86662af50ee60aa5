using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Sales;

/// <summary>
/// Records goods brought back to a till. Units go back to the batches the original sale took them from, latest-expiring
/// first; units going back into a batch that has expired since are written off as expired in the same transaction.
/// Idempotent by returnId like sales.
/// </summary>
public sealed class ReturnRecorder(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    public async Task<ReturnOutcome> RecordReturnAsync(ReturnRequest request, Counter counter, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (request.ReturnId == Guid.Empty) problems.Add("returnId", "returnId must be a UUID made by the till.");
        if (request.SaleId == Guid.Empty) problems.Add("saleId", "saleId must be the UUID of the original sale.");
        if (request.OccurredAt > clock.GetUtcNow() + SaleRecorder.FutureTolerance) problems.Add("occurredAt", "occurredAt is more than 5 minutes in the future.");
        else if (request.OccurredAt < clock.GetUtcNow() - SaleRecorder.Bounds.MaxAge) problems.Add("occurredAt", "occurredAt is more than 90 days in the past.");
        if (request.Lines is null || request.Lines.Count == 0) problems.Add("lines", "A return needs at least one line.");
        else if (request.Lines.Count > SaleRecorder.Bounds.MaxLines) problems.Add("lines", $"A return has at most {SaleRecorder.Bounds.MaxLines} lines.");
        for (var i = 0; i < Math.Min(request.Lines?.Count ?? 0, SaleRecorder.Bounds.MaxLines); i++)
            if (request.Lines![i].Quantity is < 1 or > SaleRecorder.Bounds.MaxQuantity)
                problems.Add($"lines[{i}].quantity", $"quantity must be a whole number from 1 to {SaleRecorder.Bounds.MaxQuantity:N0}.");
        if (request.Reason is { Length: > 500 }) problems.Add("reason", "reason is at most 500 characters.");
        problems.ThrowIfAny("The return is not valid.");
        var hash = ContentHash(request);

        using var activity = BackOfficeTelemetry.StartStockWrite("return", counter)?.SetTag("backoffice.return_id", request.ReturnId)
            .SetTag("backoffice.sale_id", request.SaleId);
        var (outcome, touched) = await db.RetryingStockWriteAsync<(ReturnOutcome, IReadOnlyCollection<(int, int)>)>(async c =>
        {
            var now = clock.GetUtcNow();
            await using var tx = await db.BeginStockWriteAsync(c);
            await db.LockSaleAsync(request.SaleId, c);
            var existing = await db.Returns.Where(r => r.Id == request.ReturnId).Select(r => new { r.ContentHash, r.OutletId }).FirstOrDefaultAsync(c);
            if (existing is not null)
            {
                if (existing.ContentHash != hash || existing.OutletId != counter.OutletId)
                    throw new IdempotencyConflictException($"Return {request.ReturnId} was already recorded with different content.");
                return (new ReturnOutcome(await LoadAsync(request.ReturnId, c), Created: false), (IReadOnlyCollection<(int, int)>)[]);
            }

            var sale = await db.Sales.Where(s => s.Id == request.SaleId)
                .Join(db.Outlets, s => s.OutletId, o => o.Id, (s, o) => new { s.OutletId, s.OccurredOffsetMinutes, s.Currency, o.TimeZoneId }).FirstOrDefaultAsync(c);
            if (sale is null || sale.OutletId != counter.OutletId)
                problems.Add("saleId", sale is null ? "The original sale is unknown." : "The original sale belongs to another outlet.");
            problems.ThrowIfAny("The return is not valid.");

            // What the sale took from each batch, less what earlier returns already brought back.
            var sold = await (from l in db.SaleLines
                              join p in db.Products on l.ProductId equals p.Id
                              where l.SaleId == request.SaleId
                              group l by new { p.Sku, l.ProductId, l.TaxCategory, l.TaxRate } into g
                              select new
                              {
                                  g.Key.Sku, g.Key.ProductId, Quantity = g.Sum(l => l.Quantity), Amount = g.Sum(l => l.Quantity * (double)l.UnitPrice),
                                  Net = g.Sum(l => l.Net), Tax = g.Sum(l => l.Tax), g.Key.TaxCategory, g.Key.TaxRate,
                              }).ToListAsync(c);
            var taken = await (from a in db.Allocations
                               join l in db.SaleLines on a.SaleLineId equals l.Id
                               join b in db.Batches on a.BatchId equals b.Id
                               where l.SaleId == request.SaleId
                               group a by new { a.BatchId, l.ProductId, b.ExpiryDate, b.ReceivedAt, b.OutletId, b.UnitCost } into g
                               select new { g.Key.BatchId, g.Key.ProductId, g.Key.ExpiryDate, g.Key.ReceivedAt, g.Key.OutletId, g.Key.UnitCost, Quantity = g.Sum(a => a.Quantity) }).ToListAsync(c);
            var returned = await (from ra in db.ReturnAllocations
                                  join rl in db.ReturnLines on ra.ReturnLineId equals rl.Id
                                  join r in db.Returns on rl.ReturnId equals r.Id
                                  where r.SaleId == request.SaleId
                                  group ra by ra.BatchId into g
                                  select new { BatchId = g.Key, Quantity = g.Sum(x => x.Quantity) }).ToDictionaryAsync(x => x.BatchId, x => x.Quantity, c);
            var returnedByProduct = await ReturnedByProductAsync(db, request.SaleId, c);

            var wanted = new Dictionary<string, int>();
            for (var i = 0; i < request.Lines!.Count; i++)
            {
                var line = request.Lines[i];
                var s = sold.FirstOrDefault(x => x.Sku == line.Sku);
                if (s is null) { problems.Add($"lines[{i}].sku", $"'{line.Sku}' was not sold in this sale."); continue; }
                wanted[line.Sku] = wanted.GetValueOrDefault(line.Sku) + line.Quantity;
                var left = s.Quantity - returnedByProduct.GetValueOrDefault(s.ProductId);
                if (wanted[line.Sku] > left) problems.Add($"lines[{i}].quantity", $"Only {left} of '{line.Sku}' can still be returned from this sale.");
            }
            problems.ThrowIfAny("The return is not valid.");

            var w = new WriteBatch();
            var at = now.UtcDateTime;
            var reference = MovementReference.Return(request.ReturnId).ToString();
            var lineRows = new List<ReturnLineRow>();
            var allocations = new List<ReturnAllocationValues>();
            var movements = new List<MovementRow>();
            var discrepancies = new List<DiscrepancyRow>();
            var results = new List<ReturnLineResult>();
            var salesDay = new List<SalesDay>();
            var back = new Dictionary<Guid, int>();
            var changes = new List<Movements.BatchChange>();
            var refunded = new List<(string Category, decimal Rate, decimal Net, decimal Tax)>();
            var before = new Dictionary<int, int>(returnedByProduct);
            for (var i = 0; i < request.Lines.Count; i++)
            {
                var line = request.Lines[i];
                var product = sold.First(x => x.Sku == line.Sku);
                var number = i + 1;
                // The line refunds its own tax: its share of what the sale charged for the product, net and tax each.
                var refund = Tax.Refund(new LineTax(product.Net, product.Tax), product.Quantity, before.GetValueOrDefault(product.ProductId), line.Quantity, sale!.Currency);
                before[product.ProductId] = before.GetValueOrDefault(product.ProductId) + line.Quantity;
                refunded.Add((product.TaxCategory, product.TaxRate, refund.Net, refund.Tax));
                lineRows.Add(new ReturnLineRow(request.ReturnId, number, product.ProductId, line.Quantity, product.TaxCategory, product.TaxRate, refund.Net, refund.Tax));
                // Latest-expiring first: the freshest units are the likeliest to be resold.
                var batches = taken.Where(t => t.ProductId == product.ProductId)
                    .OrderByDescending(t => t.ExpiryDate == null).ThenByDescending(t => t.ExpiryDate).ThenByDescending(t => t.ReceivedAt).ThenByDescending(t => t.BatchId)
                    .Select(t => (t.BatchId, t.ExpiryDate, t.UnitCost, Left: t.Quantity - returned.GetValueOrDefault(t.BatchId) - back.GetValueOrDefault(t.BatchId)))
                    .ToList();
                var (into, unallocated) = Fefo.Allocate(batches, b => b.Left, line.Quantity);
                var batchResults = new List<ReturnedBatch>();
                foreach (var (batch, quantity) in into)
                {
                    back[batch.BatchId] = back.GetValueOrDefault(batch.BatchId) + quantity;
                    allocations.Add(new ReturnAllocationValues(number, batch.BatchId, quantity));
                    movements.Add(Movements.Row(batch.BatchId, counter.OutletId, product.ProductId, MovementKind.Return, quantity, reference, at, counter, note: request.Reason));
                    // Into an expired batch too: the units join its expired stock (never sellable again, by the rule) and its
                    // outlet's disposal list.
                    changes.Add(new Movements.BatchChange(batch.BatchId, quantity));
                    batchResults.Add(new ReturnedBatch(batch.BatchId, quantity));
                }
                // Units the sale never took from a batch (its shortfall) come back to no batch: a manager must look.
                if (unallocated > 0)
                    discrepancies.Add(new DiscrepancyRow(counter.OutletId, product.ProductId, DiscrepancyKind.ReturnRejected, unallocated, reference, at, DiscrepancyStatus.Open));
                // Refunded at the average price the sale charged for the product; cost at the batches the units went back to.
                salesDay.Add(new SalesDay
                {
                    ProductId = product.ProductId, ReturnedQuantity = line.Quantity, ReturnedRevenue = line.Quantity * product.Amount / product.Quantity,
                    ReturnedCost = into.Sum(b => b.Quantity * (double)b.Batch.UnitCost), ReturnedNet = (double)refund.Net, ReturnedTax = (double)refund.Tax,
                });
                results.Add(new ReturnLineResult(line.Sku, line.Quantity, batchResults));
            }
            w.Insert(StockTables.Returns, [new ReturnRow(request.ReturnId, request.SaleId, counter.OutletId, counter.TillId, request.OccurredAt.UtcDateTime, at, request.Reason, hash)]);
            w.Insert(StockTables.ReturnLines, lineRows);
            var returnId = w.P(request.ReturnId);
            w.ForEachRow(allocations, m =>
                $"INSERT INTO {StockTables.Table<ReturnAllocation>(m)} ({StockTables.Column<ReturnAllocation>(m, nameof(ReturnAllocation.ReturnLineId))}, " +
                $"{StockTables.Column<ReturnAllocation>(m, nameof(ReturnAllocation.BatchId))}, {StockTables.Column<ReturnAllocation>(m, nameof(ReturnAllocation.Quantity))}) " +
                $"SELECT l.{StockTables.Column<ReturnLine>(m, nameof(ReturnLine.Id))}, v.\"{nameof(ReturnAllocationValues.BatchId)}\", v.\"{nameof(ReturnAllocationValues.Quantity)}\" " +
                $"FROM v JOIN {StockTables.Table<ReturnLine>(m)} l ON l.{StockTables.Column<ReturnLine>(m, nameof(ReturnLine.ReturnId))} = {returnId} " +
                $"AND l.{StockTables.Column<ReturnLine>(m, nameof(ReturnLine.LineNumber))} = v.\"{nameof(ReturnAllocationValues.LineNumber)}\"");
            Movements.ChangeBatches(w, changes);
            w.Insert(StockTables.Movements, movements);
            w.Insert(StockTables.Discrepancies, discrepancies);
            SalesDays.Add(w, SalesDays.DayOf(request.OccurredAt.UtcDateTime, sale!.OccurredOffsetMinutes), counter.OutletId, counter.TillId, salesDay);
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            return (new ReturnOutcome(new ReturnResult(request.ReturnId, request.SaleId, "recorded", results,
                Money.Round(refunded.Sum(r => r.Net + r.Tax)), sale.Currency, Tax.Rows(refunded)), Created: true),
                (IReadOnlyCollection<(int, int)>)sold.Select(s => (counter.OutletId, s.ProductId)).ToList());
        }, ct);
        if (touched.Count > 0)
            await notifier.StockChangedAsync(await StockLevels.ForAsync(db, touched, clock.GetUtcNow(), ct), ct);
        return outcome;
    }

    /// <summary>Units of one return line into one batch: a row of the table the return's allocations are inserted from.</summary>
    private sealed record ReturnAllocationValues(int LineNumber, Guid BatchId, int Quantity);

    /// <summary>Units of each product already brought back from a sale, by every return of it.</summary>
    public static Task<Dictionary<int, int>> ReturnedByProductAsync(BackOfficeDb db, Guid saleId, CancellationToken ct) =>
        (from rl in db.ReturnLines
         join r in db.Returns on rl.ReturnId equals r.Id
         where r.SaleId == saleId
         group rl by rl.ProductId into g
         select new { ProductId = g.Key, Quantity = g.Sum(x => x.Quantity) }).ToDictionaryAsync(x => x.ProductId, x => x.Quantity, ct);

    private async Task<ReturnResult> LoadAsync(Guid returnId, CancellationToken ct)
    {
        var head = await db.Returns.Where(r => r.Id == returnId)
            .Join(db.Sales, r => r.SaleId, s => s.Id, (r, s) => new { r.SaleId, s.Currency }).FirstAsync(ct);
        var lines = await db.ReturnLines.Where(l => l.ReturnId == returnId).OrderBy(l => l.LineNumber)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new { l.Id, p.Sku, l.Quantity, l.TaxCategory, l.TaxRate, l.Net, l.Tax }).ToListAsync(ct);
        var batches = await (from a in db.ReturnAllocations
                             join l in db.ReturnLines on a.ReturnLineId equals l.Id
                             where l.ReturnId == returnId
                             orderby a.Id
                             select new { a.ReturnLineId, a.BatchId, a.Quantity }).ToListAsync(ct);
        return new ReturnResult(returnId, head.SaleId, "recorded", lines.Select(l => new ReturnLineResult(l.Sku, l.Quantity,
            batches.Where(b => b.ReturnLineId == l.Id).Select(b => new ReturnedBatch(b.BatchId, b.Quantity)).ToList())).ToList(),
            Money.Round(lines.Sum(l => l.Net + l.Tax)), head.Currency, Tax.Rows(lines.Select(l => (l.TaxCategory, l.TaxRate, l.Net, l.Tax))));
    }

    public static string ContentHash(ReturnRequest request)
    {
        var text = new StringBuilder().Append(request.SaleId.ToString("D")).Append('\n')
            .Append(request.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n').Append(request.Reason).Append('\n');
        foreach (var l in request.Lines) text.Append(l.Sku).Append('|').Append(l.Quantity.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
