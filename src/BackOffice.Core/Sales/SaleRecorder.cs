using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Sales;

/// <summary>
/// Records what a till sold. A sale already happened at the counter, so it is never refused for lack of stock:
/// each line is allocated FEFO from the outlet's sellable batches and what cannot be allocated is a shortfall
/// (and a discrepancy for managers). A line with a scanned lot is taken from that lot first (api.md). Three commands whatever the number of batches: the outlet and idempotency
/// check, the candidate read, and one write of everything.
/// </summary>
public sealed class SaleRecorder(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public async Task<SaleOutcome> RecordSaleAsync(SaleRequest request, Counter counter, CancellationToken ct = default)
    {
        Validate(request, clock.GetUtcNow());
        var hash = ContentHash(request);
        using var activity = BackOfficeTelemetry.StartStockWrite("sale", counter)?.SetTag("backoffice.sale_id", request.SaleId);
        try
        {
            return await db.RetryingStockWriteAsync(c => RecordOnceAsync(request, counter, hash, c), ct);
        }
        catch (DbException)
        {
            // Another server recorded the same saleId between our check and our insert: answer as a replay.
            db.ChangeTracker.Clear();
            var existing = await ExistingHashAsync(request.SaleId, ct);
            if (existing is null) throw;
            return await ReplayAsync(request.SaleId, counter, hash, existing, ct);
        }
    }

    private async Task<SaleOutcome> RecordOnceAsync(SaleRequest request, Counter counter, string hash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.BeginStockWriteAsync(ct);

        // Command 1: the products sold, each row also carrying the outlet's time zone and whether this saleId is known
        // (one flat query: EF materialises it for a fraction of a nested one). Only when no sku is known does a second
        // query ask for the outlet alone.
        var skus = request.Lines.Select(l => l.Sku).Distinct().ToList();
        var existing = db.Sales.Where(s => s.Id == request.SaleId).Select(s => s.ContentHash);
        var rows = new List<SoldProduct>();
        await foreach (var row in SoldProducts.For(db)(db, skus, counter.OutletId, request.SaleId).WithCancellation(ct)) rows.Add(row);
        var outlet = rows.Count > 0
            ? new { rows[0].TimeZoneId, Code = rows[0].OutletCode, rows[0].Currency, rows[0].PricesIncludeTax, rows[0].Existing }
            : await db.Outlets.Where(o => o.Id == counter.OutletId)
                .Select(o => new { TimeZoneId = (string?)o.TimeZoneId, Code = (string?)o.Code, o.Currency, o.PricesIncludeTax, Existing = existing.FirstOrDefault() })
                .FirstOrDefaultAsync(ct);
        if (outlet?.TimeZoneId is null) throw new InvalidOperationException($"Outlet {counter.OutletId} does not exist.");
        if (outlet.Existing is not null)
        {
            await tx.RollbackAsync(ct);
            return await ReplayAsync(request.SaleId, counter, hash, outlet.Existing, ct);
        }
        var products = rows.Select(r => new Candidates.ProductRow(r.Id, r.Sku, r.Active)).ToList();
        var rates = rows.ToDictionary(r => r.Sku, r => (r.TaxCategory, Rate: Tax.RateFor(r.CategoryRate, r.StandardRate)));
        var problems = new Problems();
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var sku = request.Lines[i].Sku;
            var product = products.FirstOrDefault(p => p.Sku == sku);
            if (product is null) problems.Add($"lines[{i}].sku", $"Unknown sku '{sku}'.");
            else if (!product.Active) problems.Add($"lines[{i}].sku", $"Product '{sku}' is inactive.");
        }
        problems.ThrowIfAny("The sale is not valid.");
        var today = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(outlet.TimeZoneId), now);

        // Command 2: their sellable batches at the outlet, FEFO, and the batches of the lots the till scanned.
        var scannedLots = request.Lines.Select(l => ReceiptRules.Lot(l.LotNumber)).OfType<string>().Distinct().ToList();
        var candidates = await Candidates.ReadAsync(db, counter.OutletId, products, today, scannedLots, ct);

        // Allocation, in memory over the rows just read under the write lock.
        var remaining = candidates.Batches.Values.SelectMany(b => b).ToDictionary(b => b.BatchId, b => b.OnHand);
        var lines = new List<SaleLineResult>();
        var write = new WriteBatch();
        var at = now.UtcDateTime;
        var lineRows = new List<SaleLineRow>();
        var allocations = new List<SaleAllocation>();
        var movements = new List<MovementRow>();
        var discrepancies = new List<DiscrepancyRow>();
        var salesDay = new List<SalesDay>();
        var taken = new Dictionary<Guid, int>();
        var taxed = new List<(string Category, decimal Rate, decimal Net, decimal Tax)>();
        var reference = MovementReference.Sale(request.SaleId).ToString();
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            var product = candidates.Products[line.Sku];
            var (taking, shortfall) = Fefo.Allocate(candidates.InAllocationOrder(product.ProductId, ReceiptRules.Lot(line.LotNumber), today),
                b => remaining[b.BatchId], line.Quantity);
            var number = i + 1;
            var (category, rate) = rates[line.Sku];
            var tax = Tax.OfLine(line.Quantity * line.UnitPrice, rate, outlet.PricesIncludeTax, outlet.Currency);
            taxed.Add((category, rate, tax.Net, tax.Tax));
            lineRows.Add(new SaleLineRow(request.SaleId, number, product.ProductId, line.Quantity, line.UnitPrice, line.Quantity - shortfall, shortfall,
                category, rate, tax.Net, tax.Tax));
            foreach (var (batch, quantity) in taking)
            {
                remaining[batch.BatchId] -= quantity;
                taken[batch.BatchId] = taken.GetValueOrDefault(batch.BatchId) + quantity;
                allocations.Add(new SaleAllocation(number, batch.BatchId, quantity));
                movements.Add(Movements.Row(batch.BatchId, counter.OutletId, product.ProductId, MovementKind.Sale, -quantity, reference, at, counter));
            }
            // The day's totals: revenue and cost as the sales report computes them (double, rounded when shown).
            salesDay.Add(new SalesDay
            {
                ProductId = product.ProductId, SoldQuantity = line.Quantity, SoldRevenue = line.Quantity * (double)line.UnitPrice,
                SoldCost = taking.Sum(a => a.Quantity * (double)a.Batch.UnitCost), SoldNet = (double)tax.Net, SoldTax = (double)tax.Tax,
            });
            if (shortfall > 0)
                discrepancies.Add(new DiscrepancyRow(counter.OutletId, product.ProductId, DiscrepancyKind.SaleShortfall, shortfall, reference, at, DiscrepancyStatus.Open));
            // A scanned pack of a recalled or expired lot still left the shop: recorded from its lot, and managers told.
            var recalledSold = taking.Where(a => a.Batch.Quarantined).Sum(a => a.Quantity);
            var expiredSold = taking.Where(a => !a.Batch.Quarantined && ExpiryRule.IsExpired(a.Batch.ExpiryDate, today)).Sum(a => a.Quantity);
            if (recalledSold > 0)
                discrepancies.Add(new DiscrepancyRow(counter.OutletId, product.ProductId, DiscrepancyKind.RecalledLotSold, recalledSold, reference, at, DiscrepancyStatus.Open));
            if (expiredSold > 0)
                discrepancies.Add(new DiscrepancyRow(counter.OutletId, product.ProductId, DiscrepancyKind.ExpiredLotSold, expiredSold, reference, at, DiscrepancyStatus.Open));
            lines.Add(new SaleLineResult(line.Sku, line.Quantity, line.Quantity - shortfall, shortfall,
                taking.Select(a => new AllocationResult(a.Batch.BatchId, a.Batch.LotNumber, a.Batch.ExpiryDate, a.Quantity)).ToList()));
        }

        // What the customer paid: the shelf prices, with the tax on top where they exclude it.
        var total = Money.Round(taxed.Sum(t => t.Net + t.Tax));
        CheckPayments(request.Payments, total);
        write.Insert(StockTables.Sales, [new SaleRow(request.SaleId, counter.OutletId, counter.TillId, request.OccurredAt.UtcDateTime,
            (int)request.OccurredAt.Offset.TotalMinutes, at, total, outlet.Currency, hash)]);
        write.Insert(StockTables.SaleLines, lineRows);
        // An allocation needs its line's id, known only once the line is in: the rows join the lines just inserted.
        var saleId = write.P(request.SaleId);
        write.ForEachRow(allocations, m =>
            $"INSERT INTO {StockTables.Table<Allocation>(m)} ({StockTables.Column<Allocation>(m, nameof(Allocation.SaleLineId))}, " +
            $"{StockTables.Column<Allocation>(m, nameof(Allocation.BatchId))}, {StockTables.Column<Allocation>(m, nameof(Allocation.Quantity))}) " +
            $"SELECT l.{StockTables.Column<SaleLine>(m, nameof(SaleLine.Id))}, v.\"{nameof(SaleAllocation.BatchId)}\", v.\"{nameof(SaleAllocation.Quantity)}\" " +
            $"FROM v JOIN {StockTables.Table<SaleLine>(m)} l ON l.{StockTables.Column<SaleLine>(m, nameof(SaleLine.SaleId))} = {saleId} " +
            $"AND l.{StockTables.Column<SaleLine>(m, nameof(SaleLine.LineNumber))} = v.\"{nameof(SaleAllocation.LineNumber)}\"");
        var versions = candidates.Batches.Values.SelectMany(b => b).ToDictionary(b => b.BatchId, b => b.Version);
        Movements.TakeFromBatches(write, taken.Select(t => new Movements.Take(t.Key, t.Value, versions[t.Key])).ToList());
        write.Insert(StockTables.Movements, movements);
        if (request.Payments is { Count: > 0 } payments)
            write.Insert(StockTables.SalePayments, payments.Select(p => new SalePaymentRow(request.SaleId, p.Method.Trim().ToLowerInvariant(), p.Amount)).ToList());
        write.Insert(StockTables.Discrepancies, discrepancies);
        SalesDays.Add(write, SalesDays.DayOf(request.OccurredAt.UtcDateTime, (int)request.OccurredAt.Offset.TotalMinutes), counter.OutletId, counter.TillId, salesDay);

        // Command 3: everything above, guarded: a batch whose version moved since the read fails the whole sale, which is retried.
        await write.ExecuteAsync(db, ct);
        await tx.CommitAsync(ct);
        BackOfficeTelemetry.SaleRecorded(outlet.Code!, lines.Sum(l => l.Shortfall));

        var levels = candidates.Products.Values.Select(p => new StockLevel(counter.OutletId, outlet.Code!, p.ProductId, p.Sku,
            (candidates.Batches.GetValueOrDefault(p.ProductId) ?? []).Where(b => ExpiryRule.IsSellable(b.Quarantined, b.ExpiryDate, today))
                .Sum(b => remaining[b.BatchId]))).ToList();
        await notifier.StockChangedAsync(levels, ct);
        return new SaleOutcome(new SaleResult(request.SaleId, "recorded", total, lines, outlet.Currency, Tax.Rows(taxed)), Created: true);
    }

    private sealed record SoldProduct(int Id, string Sku, bool Active, string TaxCategory, decimal? CategoryRate, decimal? StandardRate,
        string? TimeZoneId, string? OutletCode, string? Currency, bool PricesIncludeTax, string? Existing);

    /// <summary>Command 1, compiled once (it runs in every sale).</summary>
    private static readonly QueryTemplates.PerModel<Func<BackOfficeDb, List<string>, int, Guid, IAsyncEnumerable<SoldProduct>>> SoldProducts =
        new(_ => EF.CompileAsyncQuery((BackOfficeDb db, List<string> skus, int outletId, Guid saleId) => db.Products.Where(p => skus.Contains(p.Sku))
            .Select(p => new SoldProduct(p.Id, p.Sku, p.Active, p.TaxCategory,
                db.OutletTaxRates.Where(r => r.OutletId == outletId && r.Category == p.TaxCategory).Select(r => (decimal?)r.RatePercent).FirstOrDefault(),
                db.OutletTaxRates.Where(r => r.OutletId == outletId && r.Category == TaxCategories.Standard).Select(r => (decimal?)r.RatePercent).FirstOrDefault(),
                db.Outlets.Where(o => o.Id == outletId).Select(o => o.TimeZoneId).FirstOrDefault(),
                db.Outlets.Where(o => o.Id == outletId).Select(o => o.Code).FirstOrDefault(),
                db.Outlets.Where(o => o.Id == outletId).Select(o => o.Currency).FirstOrDefault(),
                db.Outlets.Where(o => o.Id == outletId).Select(o => o.PricesIncludeTax).FirstOrDefault(),
                db.Sales.Where(s => s.Id == saleId).Select(s => s.ContentHash).FirstOrDefault()))));

    /// <summary>Units of one sale line from one batch: a row of the table the allocations are inserted from.</summary>
    private sealed record SaleAllocation(int LineNumber, Guid BatchId, int Quantity);

    private Task<string?> ExistingHashAsync(Guid saleId, CancellationToken ct) =>
        db.Sales.Where(s => s.Id == saleId).Select(s => s.ContentHash).FirstOrDefaultAsync(ct);

    private async Task<SaleOutcome> ReplayAsync(Guid saleId, Counter counter, string hash, string? existingHash, CancellationToken ct)
    {
        if (existingHash != hash)
            throw new IdempotencyConflictException($"Sale {saleId} was already recorded with different content.");
        var sale = await LoadAsync(db, saleId, ct) ?? throw new InvalidOperationException($"Sale {saleId} vanished.");
        if (sale.OutletId != counter.OutletId)
            throw new IdempotencyConflictException($"Sale {saleId} was recorded at another outlet.");
        return new SaleOutcome(sale.Result, Created: false);
    }

    /// <summary>A recorded sale as the API answers it (the same body as when it was first recorded).</summary>
    public static async Task<(SaleResult Result, int OutletId)?> LoadAsync(BackOfficeDb db, Guid saleId, CancellationToken ct)
    {
        var sale = await db.Sales.Where(s => s.Id == saleId).Select(s => new { s.Total, s.OutletId, s.Currency }).FirstOrDefaultAsync(ct);
        if (sale is null) return null;
        var lines = await db.SaleLines.Where(l => l.SaleId == saleId).OrderBy(l => l.LineNumber)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new { l.Id, p.Sku, l.Quantity, l.Allocated, l.Shortfall, l.TaxCategory, l.TaxRate, l.Net, l.Tax })
            .ToListAsync(ct);
        var allocations = await (from a in db.Allocations
                                 join l in db.SaleLines on a.SaleLineId equals l.Id
                                 join b in db.Batches on a.BatchId equals b.Id
                                 where l.SaleId == saleId
                                 orderby a.Id
                                 select new { a.SaleLineId, a.BatchId, b.LotNumber, b.ExpiryDate, a.Quantity }).ToListAsync(ct);
        return (new SaleResult(saleId, "recorded", Money.Round(sale.Total), lines.Select(l => new SaleLineResult(l.Sku, l.Quantity, l.Allocated, l.Shortfall,
            allocations.Where(a => a.SaleLineId == l.Id).Select(a => new AllocationResult(a.BatchId, a.LotNumber, a.ExpiryDate, a.Quantity)).ToList())).ToList(),
            sale.Currency, Tax.Rows(lines.Select(l => (l.TaxCategory, l.TaxRate, l.Net, l.Tax)))), sale.OutletId);
    }

    /// <summary>The bounds api.md gives a sale: no accepted sale can overflow a total, a daily figure or a report.</summary>
    public static class Bounds
    {
        public const int MaxLines = 200;
        public const int MaxQuantity = 10_000;
        public const decimal MaxUnitPrice = 100_000m;
        public const int MaxPayments = 20;
        /// <summary>Cash handed over may exceed the total (change), but not by more than any till could hold.</summary>
        public const decimal MaxPaymentAmount = 1_000_000_000m;
        public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);
    }

    public static void Validate(SaleRequest request, DateTimeOffset now)
    {
        var problems = new Problems();
        if (request.SaleId == Guid.Empty) problems.Add("saleId", "saleId must be a UUID made by the till.");
        if (request.OccurredAt > now + FutureTolerance) problems.Add("occurredAt", "occurredAt is more than 5 minutes in the future.");
        else if (request.OccurredAt < now - Bounds.MaxAge) problems.Add("occurredAt", "occurredAt is more than 90 days in the past.");
        if (request.Lines is null || request.Lines.Count == 0) problems.Add("lines", "A sale needs at least one line.");
        else if (request.Lines.Count > Bounds.MaxLines) problems.Add("lines", $"A sale has at most {Bounds.MaxLines} lines.");
        var linesValid = request.Lines is { Count: > 0 and <= Bounds.MaxLines };
        for (var i = 0; i < Math.Min(request.Lines?.Count ?? 0, Bounds.MaxLines); i++)
        {
            var line = request.Lines![i];
            if (line is null) { problems.Add($"lines[{i}]", "A line is missing."); linesValid = false; continue; }
            if (string.IsNullOrWhiteSpace(line.Sku)) problems.Add($"lines[{i}].sku", "sku is required.");
            if (line.LotNumber is { Length: > ReceiptRules.MaxLotLength }) problems.Add($"lines[{i}].lotNumber", $"lotNumber is at most {ReceiptRules.MaxLotLength} characters.");
            if (line.Quantity is < 1 or > Bounds.MaxQuantity)
            {
                problems.Add($"lines[{i}].quantity", $"quantity must be a whole number from 1 to {Bounds.MaxQuantity:N0}.");
                linesValid = false;
            }
            if (line.UnitPrice is < 0 or > Bounds.MaxUnitPrice)
            {
                problems.Add($"lines[{i}].unitPrice", $"unitPrice must be from 0 to {Bounds.MaxUnitPrice:N0}.");
                linesValid = false;
            }
            else if (!Problems.HasAtMostTwoDecimals(line.UnitPrice)) problems.Add($"lines[{i}].unitPrice", "unitPrice has more than 2 decimals.");
        }
        var paymentsValid = true;
        if (request.Payments?.Count > Bounds.MaxPayments)
        {
            problems.Add("payments", $"A sale has at most {Bounds.MaxPayments} payments.");
            paymentsValid = false;
        }
        for (var i = 0; i < Math.Min(request.Payments?.Count ?? 0, Bounds.MaxPayments); i++)
        {
            var payment = request.Payments![i];
            if (payment is null || string.IsNullOrWhiteSpace(payment.Method)) problems.Add($"payments[{i}].method", "method is required.");
            else if (payment.Method.Length > 32) problems.Add($"payments[{i}].method", "method is at most 32 characters.");
            if (payment is not null && (payment.Amount < 0 || payment.Amount > Bounds.MaxPaymentAmount || !Problems.HasAtMostTwoDecimals(payment.Amount)))
            {
                problems.Add($"payments[{i}].amount", $"amount must be from 0 to {Bounds.MaxPaymentAmount:N0} with at most 2 decimals.");
                paymentsValid = false;
            }
            if (payment is null) paymentsValid = false;
        }
        // Payments, when given, cover at least the lines' prices (tax on top, where prices exclude it, is checked once the outlet is known).
        if (linesValid && paymentsValid && request.Payments is { Count: > 0 } payments)
        {
            var prices = Money.Round(request.Lines!.Sum(l => l.Quantity * l.UnitPrice));
            var paid = payments.Sum(p => p.Amount);
            if (paid < prices) problems.Add("payments", $"The payments ({paid:0.00}) add up to less than the total ({prices:0.00}).");
        }
        problems.ThrowIfAny("The sale is not valid.");
    }

    /// <summary>Payments, when given, cover the total; only cash may exceed it (the rest is change).</summary>
    public static void CheckPayments(IReadOnlyList<PaymentRequest>? payments, decimal total)
    {
        if (payments is not { Count: > 0 }) return;
        var problems = new Problems();
        var paid = payments.Sum(p => p.Amount);
        var nonCash = payments.Where(p => !IsCash(p.Method)).Sum(p => p.Amount);
        if (paid < total) problems.Add("payments", $"The payments ({paid:0.00}) add up to less than the total with tax ({total:0.00}).");
        else if (nonCash > total) problems.Add("payments", $"The non-cash payments ({nonCash:0.00}) exceed the total ({total:0.00}): only cash gives change.");
        problems.ThrowIfAny("The sale is not valid.");
    }

    public static bool IsCash(string? method) => string.Equals(method?.Trim(), "cash", StringComparison.OrdinalIgnoreCase);

    /// <summary>What makes two submissions of one saleId "the same sale": time, lines and payments, canonically written.</summary>
    public static string ContentHash(SaleRequest request)
    {
        var text = new StringBuilder();
        text.Append(request.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var l in request.Lines)
            text.Append(l.Sku).Append('|').Append(l.Quantity.ToString(CultureInfo.InvariantCulture)).Append('|')
                .Append(Money.Round(l.UnitPrice).ToString(CultureInfo.InvariantCulture))
                // Only a scanned lot adds to the text: a sale without one hashes as it always did.
                .Append(ReceiptRules.Lot(l.LotNumber) is { } lot ? "|lot|" + lot : "").Append('\n');
        foreach (var p in request.Payments ?? [])
            text.Append("pay|").Append(p.Method.Trim().ToLowerInvariant()).Append('|').Append(Money.Round(p.Amount).ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
