using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.StockTakes;

public sealed record OpenStockTake(int OutletId, string? ProductFilter, bool Blind, string? Note = null);

/// <summary>A take as the list shows it, with its outlet's currency (null: the base currency), culture and time zone.</summary>
public sealed record StockTakeSummary(int Id, int OutletId, string OutletCode, string OutletName, StockTakeStatus Status, bool Blind, string? Note,
    DateTime OpenedAt, string? OpenedBy, DateTime SnapshotAt, DateTime? PostedAt, string? PostedBy, int Lines, int Counted, int NeedsRecount,
    string? OutletCurrency = null, string? OutletCulture = null, string? OutletTimeZoneId = null);

/// <summary>One count line as the count page shows it. <see cref="BatchId"/> null: counted without a lot.</summary>
public sealed record StockTakeLineView(long Id, int ProductId, string Sku, string? Barcode, string Name, Guid? BatchId, string? LotNumber,
    DateOnly? ExpiryDate, int Expected, int? Counted, bool NeedsRecount, DateTime? CountedAt);

/// <summary>What posting would do to one batch: its change and the change's value at the batch's unit cost.</summary>
public sealed record StockTakeVariance(Guid BatchId, int ProductId, string Sku, string Name, string? LotNumber, DateOnly? ExpiryDate,
    decimal UnitCost, int Expected, int Counted, int Change)
{
    public decimal Value => Change * UnitCost;
}

/// <summary>Movements at the outlet, on the take's products, after the snapshot: per product, the net quantity moved.</summary>
public sealed record MovedProduct(int ProductId, string Sku, string Name, int Movements, int NetQuantity);

/// <summary>
/// Stock takes: open (snapshot of expected quantities per batch), count, recount, post once, cancel.
/// <para>
/// How counts become stock, decided here once (<see cref="PlanAsync"/> shows it, <see cref="PostStockTakeAsync"/> applies it):
/// a line counted per lot changes its batch by (counted − expected at the snapshot). A line counted without a lot counts the
/// product's units whose lot was not counted: its count is compared with the expected total of the product's batches that
/// have no counted lot line; missing units are taken from those batches first-expiry-first (<see cref="Fefo"/>), found units
/// go into the earliest-expiring of them (found stock is assumed to be the oldest, so it is never sold past its date).
/// Batches neither counted by lot nor covered by a no-lot count are left as they are: not counted is not zero.
/// </para>
/// </summary>
public sealed class StockTakeService(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    private const string LineColumns = "\"StockTakeId\", \"ProductId\", \"BatchId\", \"Expected\", \"Counted\", \"NeedsRecount\", \"CountedAt\"";

    /// <summary>
    /// Opens a count of one outlet and snapshots the expected quantity of every batch holding stock of the chosen active
    /// products (all, or those whose sku or name contains <see cref="OpenStockTake.ProductFilter"/>), in one INSERT … SELECT.
    /// </summary>
    public async Task<int> OpenStockTakeAsync(OpenStockTake request, string? userName, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (request.Note is { Length: > 1000 }) problems.Add("note", "The note is at most 1000 characters.");
        if (request.ProductFilter is { Length: > 100 }) problems.Add("productFilter", "The filter is at most 100 characters.");
        problems.ThrowIfAny("The stock take is not valid.");

        // The write lock first: no movement can fall between the snapshot's time and its quantities.
        return await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            if (!await db.Outlets.AnyAsync(o => o.Id == request.OutletId, c)) problems.Add("outletId", "Choose an outlet.");
            problems.ThrowIfAny("The stock take is not valid.");

            var now = clock.GetUtcNow().UtcDateTime;
            var take = new StockTake
            {
                OutletId = request.OutletId, Blind = request.Blind, Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
                OpenedAt = now, OpenedBy = userName, SnapshotAt = now,
            };
            db.StockTakes.Add(take);
            await db.SaveChangesAsync(c);

            // Flags as parameters: each provider writes a boolean its own way (1, bit, true). The filter ignores case everywhere.
            var like = db.Database.IsNpgsql() ? "ILIKE" : "LIKE";
            var filter = string.IsNullOrWhiteSpace(request.ProductFilter) ? null : "%" + EscapeLike(request.ProductFilter.Trim()) + "%";
            var sql = $"INSERT INTO \"StockTakeLines\" ({LineColumns}) " +
                      "SELECT {0}, b.\"ProductId\", b.\"Id\", b.\"OnHand\", NULL, {2}, NULL FROM \"Batches\" b " +
                      "JOIN \"Products\" p ON p.\"Id\" = b.\"ProductId\" " +
                      "WHERE b.\"OutletId\" = {1} AND b.\"OnHand\" > 0 AND p.\"Active\" = {3}" +
                      (filter is null ? "" : $" AND (p.\"Sku\" {like} {{4}} ESCAPE '\\' OR p.\"Name\" {like} {{4}} ESCAPE '\\')");
            object[] parameters = filter is null ? [take.Id, request.OutletId, false, true] : [take.Id, request.OutletId, false, true, filter];
            await db.Database.ExecuteSqlRawAsync(sql, parameters, c);
            await tx.CommitAsync(c);
            return take.Id;
        }, ct);
    }

    /// <summary>
    /// Records a count of a product found by sku or barcode, for one lot or (no lot) for the product. Each (product, lot) and
    /// each product without lot is counted once per take: a second count is refused (the database's unique indexes hold this
    /// even against two counters at once); change a count with <see cref="CorrectCountAsync"/>.
    /// </summary>
    public async Task<long> RecordCountAsync(int stockTakeId, string code, string? lotNumber, int counted, CancellationToken ct = default)
    {
        var problems = new Problems();
        if (string.IsNullOrWhiteSpace(code)) problems.Add("code", "Scan or type a barcode or sku.");
        if (counted < 0) problems.Add("counted", "The count cannot be negative.");
        problems.ThrowIfAny("The count is not valid.");

        var take = await OpenTakeAsync(stockTakeId, ct);
        code = code.Trim();
        // A pack's GS1 code names its product by GTIN and its lot: counted as that lot unless another one was typed.
        if (await Lots.Packs.ReadAsync(db, code, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct) is { } scan)
        {
            if (scan.Pack is not { } pack) problems.Add("code", scan.Error!);
            else
            {
                code = pack.Sku;
                if (string.IsNullOrWhiteSpace(lotNumber)) lotNumber = pack.LotNumber;
                else if (pack.LotNumber is { } packLot && packLot != lotNumber.Trim()) problems.Add("lotNumber", $"The pack says lot {packLot}, not {lotNumber.Trim()}.");
            }
        }
        problems.ThrowIfAny("The count is not valid.");
        var product = await db.Products.WithCode(code).OrderBy(p => p.Sku == code ? 0 : 1)
            .Select(p => new { p.Id, p.Sku }).FirstOrDefaultAsync(ct);
        if (product is null) problems.Add("code", $"No product has the barcode or sku '{code}'.");
        problems.ThrowIfAny("The count is not valid.");

        var lot = string.IsNullOrWhiteSpace(lotNumber) ? null : lotNumber.Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        Guid? batchId = null;
        if (lot is not null)
        {
            var batches = await db.Batches.Where(b => b.OutletId == take.OutletId && b.ProductId == product!.Id && b.LotNumber == lot)
                .Select(b => b.Id).Take(2).ToListAsync(ct);
            if (batches.Count == 0) problems.Add("lotNumber", $"{take.OutletCode} has no lot '{lot}' of {product!.Sku}: count it without a lot.");
            else if (batches.Count > 1) problems.Add("lotNumber", $"Lot '{lot}' of {product!.Sku} is in several batches here: count them on their lines in the list.");
            problems.ThrowIfAny("The count is not valid.");
            batchId = batches[0];

            // The snapshot's line for the lot, if it has not been counted yet.
            var updated = await db.StockTakeLines.Where(l => l.StockTakeId == stockTakeId && l.BatchId == batchId && l.Counted == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Counted, counted).SetProperty(l => l.CountedAt, now).SetProperty(l => l.NeedsRecount, false), ct);
            if (updated == 1)
                return await db.StockTakeLines.Where(l => l.StockTakeId == stockTakeId && l.BatchId == batchId).Select(l => l.Id).FirstAsync(ct);
        }

        // A new line: the lot was not in the snapshot (no stock then), or the product is counted without a lot.
        var line = new StockTakeLine { StockTakeId = stockTakeId, ProductId = product!.Id, BatchId = batchId, Expected = 0, Counted = counted, CountedAt = now };
        db.StockTakeLines.Add(line);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(line).State = EntityState.Detached;
            problems.Add(lot is null ? "code" : "lotNumber", lot is null
                ? $"{product.Sku} is already counted without a lot in this stock take: change that line's count instead."
                : $"Lot '{lot}' of {product.Sku} is already counted in this stock take: change that line's count instead.");
            problems.ThrowIfAny("The count is not valid.");
        }
        return line.Id;
    }

    /// <summary>Sets (or clears, with null) the count of one line of an open take; a recount clears its recount flag.</summary>
    public async Task CorrectCountAsync(long lineId, int? counted, CancellationToken ct = default)
    {
        if (counted < 0) new Problems().Also("counted", "The count cannot be negative.").ThrowIfAny("The count is not valid.");
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.StockTakeLines
            .Where(l => l.Id == lineId && db.StockTakes.Any(t => t.Id == l.StockTakeId && t.Status == StockTakeStatus.Open))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Counted, counted).SetProperty(l => l.CountedAt, counted == null ? null : now)
                .SetProperty(l => l.NeedsRecount, false), ct);
        if (changed == 0) new Problems().Also("line", "The line is gone or its stock take is no longer open.").ThrowIfAny("The count was not changed.");
    }

    /// <summary>Flags for recount the counted lines whose variance is more than <paramref name="threshold"/> units (and clears the others). Returns how many are flagged.</summary>
    public async Task<int> FlagRecountsAsync(int stockTakeId, int threshold, CancellationToken ct = default)
    {
        if (threshold < 0) new Problems().Also("threshold", "The threshold cannot be negative.").ThrowIfAny("The recount is not valid.");
        await OpenTakeAsync(stockTakeId, ct);
        var lines = await db.StockTakeLines.Where(l => l.StockTakeId == stockTakeId)
            .Select(l => new { l.Id, l.ProductId, l.BatchId, l.Expected, l.Counted }).ToListAsync(ct);
        var flagged = new List<long>();
        foreach (var product in lines.GroupBy(l => l.ProductId))
        {
            foreach (var l in product.Where(l => l.BatchId != null && l.Counted != null))
                if (Math.Abs(l.Counted!.Value - l.Expected) > threshold) flagged.Add(l.Id);
            // A count without lot is compared with what its product's uncounted lots were expected to hold.
            var noLot = product.FirstOrDefault(l => l.BatchId == null && l.Counted != null);
            if (noLot is not null)
            {
                var expected = product.Where(l => l.BatchId != null && l.Counted == null).Sum(l => l.Expected);
                if (Math.Abs(noLot.Counted!.Value - expected) > threshold) flagged.Add(noLot.Id);
            }
        }
        await db.StockTakeLines.Where(l => l.StockTakeId == stockTakeId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.NeedsRecount, l => flagged.Contains(l.Id)), ct);
        return flagged.Count;
    }

    /// <summary>Movements at the take's outlet on its products after the snapshot, per product, in one grouped query.</summary>
    public async Task<IReadOnlyList<MovedProduct>> MovedSinceSnapshotAsync(int stockTakeId, CancellationToken ct = default) =>
        await MovedSinceSnapshot(stockTakeId).ToListAsync(ct);

    /// <summary>The query of <see cref="MovedSinceSnapshotAsync"/> (public for SQL checks on both providers).</summary>
    public IQueryable<MovedProduct> MovedSinceSnapshot(int stockTakeId)
    {
        return (from t in db.StockTakes
                join m in db.Movements on t.OutletId equals m.OutletId
                where t.Id == stockTakeId && m.CreatedAt > t.SnapshotAt
                      && db.StockTakeLines.Any(l => l.StockTakeId == t.Id && l.ProductId == m.ProductId)
                select m)
            .GroupBy(m => m.ProductId)
            .Select(g => new { ProductId = g.Key, Movements = g.Count(), Net = g.Sum(m => m.Quantity) })
            .Join(db.Products, g => g.ProductId, p => p.Id, (g, p) => new { g, p.Sku, p.Name })
            .OrderBy(x => x.Sku)
            .Select(x => new MovedProduct(x.g.ProductId, x.Sku, x.Name, x.g.Movements, x.g.Net));
    }

    /// <summary>
    /// Takes a new snapshot: expected quantities become the batches' quantities now, batches of the take's products that
    /// gained stock since are added, and the snapshot time moves to now. Counts already entered are kept.
    /// </summary>
    public Task RefreshExpectedAsync(int stockTakeId, CancellationToken ct = default) =>
        db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            var take = await OpenTakeAsync(stockTakeId, c);
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE \"StockTakeLines\" SET \"Expected\" = (SELECT b.\"OnHand\" FROM \"Batches\" b WHERE b.\"Id\" = \"StockTakeLines\".\"BatchId\") " +
                "WHERE \"StockTakeId\" = {0} AND \"BatchId\" IS NOT NULL;\n" +
                $"INSERT INTO \"StockTakeLines\" ({LineColumns}) " +
                "SELECT {0}, b.\"ProductId\", b.\"Id\", b.\"OnHand\", NULL, {3}, NULL FROM \"Batches\" b " +
                "WHERE b.\"OutletId\" = {1} AND b.\"OnHand\" > 0 " +
                "AND b.\"ProductId\" IN (SELECT l.\"ProductId\" FROM \"StockTakeLines\" l WHERE l.\"StockTakeId\" = {0}) " +
                "AND NOT EXISTS (SELECT 1 FROM \"StockTakeLines\" l WHERE l.\"StockTakeId\" = {0} AND l.\"BatchId\" = b.\"Id\");\n" +
                "UPDATE \"StockTakes\" SET \"SnapshotAt\" = {2} WHERE \"Id\" = {0}",
                [stockTakeId, take.OutletId, now, false], c);
            await tx.CommitAsync(c);
            return true;
        }, ct);

    /// <summary>The variances posting would write now, with their value at cost.</summary>
    public async Task<IReadOnlyList<StockTakeVariance>> PlanAsync(int stockTakeId, CancellationToken ct = default)
    {
        var take = await db.StockTakes.Where(t => t.Id == stockTakeId).Select(t => new { t.OutletId }).FirstOrDefaultAsync(ct)
                   ?? throw NotFound();
        var (plan, problems) = await BuildPlanAsync(stockTakeId, take.OutletId, ct);
        problems.ThrowIfAny("The stock take cannot be posted.");
        return plan.Select(p => p.Variance).ToList();
    }

    /// <summary>
    /// Posts the take once: every variance becomes a StockTake movement and its batch's change, in one transaction and one
    /// guarded write (no batch below zero, no batch changed since it was read). The take's status is checked and changed
    /// in the same transaction, so a second post, even at the same moment, is refused.
    /// </summary>
    public async Task<IReadOnlyList<StockTakeVariance>> PostStockTakeAsync(int stockTakeId, string? userName, CancellationToken ct = default)
    {
        using var activity = BackOfficeTelemetry.StartStockWrite("stock_take")?.SetTag("backoffice.stock_take_id", stockTakeId);
        var (variances, touched) = await db.RetryingStockWriteAsync(async c =>
        {
            await using var tx = await db.BeginStockWriteAsync(c);
            var take = await OpenTakeAsync(stockTakeId, c);
            var (plan, problems) = await BuildPlanAsync(stockTakeId, take.OutletId, c);
            foreach (var p in plan.Where(p => p.OnHandNow + p.Variance.Change < 0))
                problems.Add("lines", $"{p.Variance.Sku} lot {p.Variance.LotNumber ?? "—"} holds {p.OnHandNow} now: it cannot lose {-p.Variance.Change}. Refresh expected and recount it.");
            problems.ThrowIfAny("The stock take cannot be posted.");

            var now = clock.GetUtcNow().UtcDateTime;
            var w = new WriteBatch();
            var reference = MovementReference.StockTake(stockTakeId).ToString();
            Movements.ChangeBatches(w, plan.Select(p => new Movements.BatchChange(p.Variance.BatchId, p.Variance.Change, p.Version)));
            w.Insert(StockTables.Movements, plan.Select(p =>
                Movements.Row(p.Variance.BatchId, take.OutletId, p.Variance.ProductId, MovementKind.StockTake, p.Variance.Change, reference, now, userName: userName)).ToList());
            // The post itself is guarded: only an open take becomes posted, and the write batch expects this row to change.
            var (at, by) = (w.P(now), w.P(userName));
            w.UpdateOne(m =>
            {
                string C(string property) => StockTables.Column<StockTake>(m, property);
                return $"UPDATE {StockTables.Table<StockTake>(m)} SET {C(nameof(StockTake.Status))} = {WriteBatch.N((int)StockTakeStatus.Posted)}, " +
                       $"{C(nameof(StockTake.PostedAt))} = {at}, {C(nameof(StockTake.PostedBy))} = {by} " +
                       $"WHERE {C(nameof(StockTake.Id))} = {WriteBatch.N(stockTakeId)} AND {C(nameof(StockTake.Status))} = {WriteBatch.N((int)StockTakeStatus.Open)}";
            });
            await w.ExecuteAsync(db, c);
            await tx.CommitAsync(c);
            return (plan.Select(p => p.Variance).ToList(), plan.Select(p => (take.OutletId, p.Variance.ProductId)).Distinct().ToList());
        }, ct);
        await notifier.StockChangedAsync(await StockLevels.ForAsync(db, touched, clock.GetUtcNow(), ct), ct);
        return variances;
    }

    /// <summary>What a posted take wrote: its stock-take movements, by sku and expiry (expected and counted are not kept: 0).</summary>
    public Task<List<StockTakeVariance>> PostedVariancesAsync(int stockTakeId, CancellationToken ct = default)
    {
        var reference = MovementReference.StockTake(stockTakeId).ToString();
        return db.Movements.Where(m => m.Reference == reference && m.Kind == MovementKind.StockTake)
            .OrderBy(m => m.Batch.Product.Sku).ThenBy(m => m.Batch.ExpiryDate)
            .Select(m => new StockTakeVariance(m.BatchId, m.ProductId, m.Batch.Product.Sku, m.Batch.Product.Name, m.Batch.LotNumber, m.Batch.ExpiryDate,
                m.Batch.UnitCost, 0, 0, m.Quantity)).ToListAsync(ct);
    }

    /// <summary>Cancels an open take; nothing is posted.</summary>
    public async Task CancelAsync(int stockTakeId, string? userName, CancellationToken ct = default)
    {
        var changed = await db.StockTakes.Where(t => t.Id == stockTakeId && t.Status == StockTakeStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, StockTakeStatus.Cancelled), ct);
        if (changed == 0) new Problems().Also("status", "Only an open stock take can be cancelled.").ThrowIfAny("The stock take was not cancelled.");
    }

    /// <summary>The newest takes (or one take), with their line counts, in one query.</summary>
    public Task<List<StockTakeSummary>> SummariesAsync(int? stockTakeId = null, int take = 100, CancellationToken ct = default) =>
        (from t in db.StockTakes.Where(t => stockTakeId == null || t.Id == stockTakeId).OrderByDescending(t => t.Id).Take(take)
         join o in db.Outlets on t.OutletId equals o.Id
         orderby t.Id descending
         select new StockTakeSummary(t.Id, t.OutletId, o.Code, o.Name, t.Status, t.Blind, t.Note, t.OpenedAt, t.OpenedBy, t.SnapshotAt, t.PostedAt, t.PostedBy,
             db.StockTakeLines.Count(l => l.StockTakeId == t.Id),
             db.StockTakeLines.Count(l => l.StockTakeId == t.Id && l.Counted != null),
             db.StockTakeLines.Count(l => l.StockTakeId == t.Id && l.NeedsRecount), o.Currency, o.Culture, o.TimeZoneId)).ToListAsync(ct);

    public Task<List<StockTakeLineView>> LinesAsync(int stockTakeId, CancellationToken ct = default) => Lines(stockTakeId).ToListAsync(ct);

    /// <summary>The count lines of a take with their product and lot, in count-sheet order.</summary>
    public IQueryable<StockTakeLineView> Lines(int stockTakeId) =>
        from l in db.StockTakeLines
        join p in db.Products on l.ProductId equals p.Id
        from b in db.Batches.Where(b => b.Id == l.BatchId).DefaultIfEmpty()
        where l.StockTakeId == stockTakeId
        orderby p.Sku, l.BatchId == null, b.ExpiryDate, b.LotNumber
        select new StockTakeLineView(l.Id, p.Id, p.Sku, p.Barcode, p.Name, l.BatchId, b == null ? null : b.LotNumber, b == null ? null : b.ExpiryDate,
            l.Expected, l.Counted, l.NeedsRecount, l.CountedAt);

    private sealed record PlannedChange(StockTakeVariance Variance, int OnHandNow, int Version);

    private sealed record BatchRow(Guid Id, int ProductId, string Sku, string Name, string? LotNumber, DateOnly? ExpiryDate, DateTime ReceivedAt,
        decimal UnitCost, int OnHand, int Version);

    private async Task<(List<PlannedChange> Plan, Problems Problems)> BuildPlanAsync(int stockTakeId, int outletId, CancellationToken ct)
    {
        var problems = new Problems();
        var lines = await db.StockTakeLines.Where(l => l.StockTakeId == stockTakeId)
            .Select(l => new { l.ProductId, l.BatchId, l.Expected, l.Counted }).ToListAsync(ct);
        // The batches the plan may touch, read once: every batch of a product counted at all (a no-lot count may need any of them).
        var productIds = lines.Where(l => l.Counted != null).Select(l => l.ProductId).Distinct().ToList();
        var batches = productIds.Count == 0 ? [] : await db.BatchesForUpdate()
            .Where(b => b.OutletId == outletId && productIds.Contains(b.ProductId))
            .InFefoOrder()
            .Select(b => new BatchRow(b.Id, b.ProductId, b.Product.Sku, b.Product.Name, b.LotNumber, b.ExpiryDate, b.ReceivedAt, b.UnitCost, b.OnHand, b.Version))
            .ToListAsync(ct);
        var byId = batches.ToDictionary(b => b.Id);

        var changes = new Dictionary<Guid, (int Expected, int Counted, int Change)>();
        void Add(Guid batchId, int expected, int counted, int change)
        {
            var c = changes.GetValueOrDefault(batchId);
            changes[batchId] = (c.Expected + expected, c.Counted + counted, c.Change + change);
        }

        foreach (var product in lines.GroupBy(l => l.ProductId))
        {
            foreach (var l in product.Where(l => l.BatchId != null && l.Counted != null))
                Add(l.BatchId!.Value, l.Expected, l.Counted!.Value, l.Counted.Value - l.Expected);

            var noLot = product.FirstOrDefault(l => l.BatchId == null && l.Counted != null);
            if (noLot is null) continue;
            // The no-lot count covers the product's batches whose lot was not counted, in FEFO order.
            var uncounted = product.Where(l => l.BatchId != null && l.Counted == null && byId.ContainsKey(l.BatchId.Value))
                .Select(l => (Batch: byId[l.BatchId!.Value], l.Expected))
                .OrderBy(x => x.Batch, Comparer<BatchRow>.Create((a, b) => Fefo.Compare(a.ExpiryDate, a.ReceivedAt, a.Id, b.ExpiryDate, b.ReceivedAt, b.Id)))
                .ToList();
            var difference = noLot.Counted!.Value - uncounted.Sum(u => u.Expected);
            foreach (var u in uncounted) Add(u.Batch.Id, u.Expected, 0, 0);
            if (difference < 0)
            {
                var (taken, _) = Fefo.Allocate(uncounted, u => u.Expected, -difference);
                foreach (var (u, quantity) in taken) Add(u.Batch.Id, 0, 0, -quantity);
            }
            else if (difference > 0)
            {
                var into = uncounted.Select(u => u.Batch).FirstOrDefault() ?? batches.FirstOrDefault(b => b.ProductId == product.Key);
                if (into is null)
                {
                    var sku = await db.Products.Where(p => p.Id == product.Key).Select(p => p.Sku).FirstAsync(ct);
                    problems.Add("lines", $"{sku} has no batch at this outlet to put {difference} found units in: receive them instead.");
                    continue;
                }
                Add(into.Id, 0, 0, difference);
            }
        }

        var plan = changes.Where(c => c.Value.Change != 0).Select(c =>
        {
            var b = byId[c.Key];
            return new PlannedChange(new StockTakeVariance(b.Id, b.ProductId, b.Sku, b.Name, b.LotNumber, b.ExpiryDate, b.UnitCost,
                c.Value.Expected, c.Value.Expected + c.Value.Change, c.Value.Change), b.OnHand, b.Version);
        }).OrderBy(p => p.Variance.Sku).ThenBy(p => p.Variance.ExpiryDate).ToList();
        return (plan, problems);
    }

    private sealed record OpenTake(int OutletId, string OutletCode);

    private async Task<OpenTake> OpenTakeAsync(int stockTakeId, CancellationToken ct)
    {
        var take = await db.StockTakes.Where(t => t.Id == stockTakeId)
            .Join(db.Outlets, t => t.OutletId, o => o.Id, (t, o) => new { t.Status, t.OutletId, o.Code }).FirstOrDefaultAsync(ct)
            ?? throw NotFound();
        if (take.Status != StockTakeStatus.Open)
            new Problems().Also("status", take.Status == StockTakeStatus.Posted ? "This stock take is already posted." : "This stock take is cancelled.")
                .ThrowIfAny("The stock take is not open.");
        return new OpenTake(take.OutletId, take.Code);
    }

    private static ValidationFailedException NotFound() =>
        new("Unknown stock take.", new Dictionary<string, string[]> { ["stockTakeId"] = ["There is no such stock take."] });

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
