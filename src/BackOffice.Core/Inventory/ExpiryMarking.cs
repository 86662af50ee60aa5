using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackOffice.Core.Inventory;

/// <summary>What one expiry run found newly expired: batches, their units, and the products they are of.</summary>
public sealed record ExpiryRun(int Batches, int Units, int Products);

/// <summary>
/// Marks expired stock. A batch that has expired in its own outlet's time zone (<see cref="ExpiryRule"/>) stays on hand:
/// the packs are still on the shelf until someone takes them off, so they are out of sellable stock (the rule says so
/// whether or not this job has run) and on the outlet's disposal list (<see cref="Disposal.MustLeaveShelf"/>) until a
/// manager returns or destroys them (<see cref="DisposalService"/>). The job writes, once per batch, an expiry movement of
/// quantity 0 — the ledger's record of when the units left sellable stock, so on hand = Σ movements still holds — then
/// tells the tills and the managers (one <see cref="NotificationKind.Expired"/> notification per outlet and day).
/// Hangfire runs jobs at least once, so a run is all-or-nothing and a second run — after, or at the same time — finds
/// every expired batch already marked and writes nothing.
/// </summary>
public sealed class ExpiryMarking(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier, ILogger<ExpiryMarking> log)
{
    /// <summary>Who the movements and notifications are booked to.</summary>
    public const string UserName = "expiry job";

    /// <summary>The note of every expiry movement: what happened to the units, since its quantity is 0.</summary>
    public const string MovementNote = "Expired: out of sellable stock, on the disposal list";

    // Touched (outlet, product) pairs are announced in slices, so that the parameter lists stay far below the providers' limits.
    private const int PairsPerNotification = 500;

    /// <summary>
    /// One transaction, a constant number of commands whatever the number of batches: the outlets, a grouped read of what
    /// newly expired (a seek on the index of unmarked batches on hand, so a rerun stops here whatever the disposal lists
    /// hold), a grouped read of all expired stock on hand at those outlets (the managers' figures), one command that inserts
    /// the movements of the unmarked batches and marks them, and the managers' notifications (one read, one batched write).
    /// Both statements select "expired, on hand, unmarked", so what they write is their own key: a rerun selects nothing.
    /// </summary>
    public async Task<ExpiryRun> MarkExpiredAsync(CancellationToken ct = default)
    {
        using var activity = BackOfficeTelemetry.StartStockWrite("expiry");
        var now = clock.GetUtcNow();
        var (touched, days) = await db.RetryingStockWriteAsync(async c =>
        {
            // SQLite: BEGIN IMMEDIATE, so a second run waits for the first and then sees its movements.
            await using var tx = await db.BeginStockWriteAsync(c);
            // On the server databases (READ COMMITTED) two runs (two Hangfire servers) take turns on a lock for the transaction.
            await db.TakeJobLockAsync("BackOffice.ExpiryMarking", c);
            var outlets = await db.Outlets.Select(o => new { o.Id, o.Code, o.Name, o.TimeZoneId }).ToListAsync(c);
            var days = new OutletDays(outlets.Select(o => (o.Id, o.TimeZoneId)), now);
            // What newly expired: a seek on the index of unmarked batches on hand, which holds nothing already on a disposal list.
            var pairs = await PerProduct(Unmarked(ExpiredWithStock(db.BatchesToGroupForUpdate(), days), days)).ToListAsync(c);
            if (pairs.Count == 0)
            {
                await tx.CommitAsync(c);
                return (pairs, days);
            }
            // The managers' figures: everything expired on hand (marked before, or now) at the outlets where something newly expired.
            var newOutlets = pairs.Select(p => p.OutletId).Distinct().ToList();
            var listedGroups = await PerProduct(ExpiredWithStock(db.Batches, days).Where(b => newOutlets.Contains(b.OutletId))).ToListAsync(c);

            var batches = pairs.Sum(p => p.Batches);
            // The rule's own translation (the same predicate the sale and stock queries use) becomes the key of both statements.
            var (selectIds, parameters) = Subquery(Unmarked(ExpiredWithStock(db.Batches, days), days).Select(b => b.Id));
            var reference = parameters.Count;
            parameters.Add(MovementReference.Expiry(now.UtcDateTime).ToString());
            parameters.Add(UserName);
            parameters.Add(now.UtcDateTime);
            parameters.Add(MovementNote);

            // Only EF's own SQL and constants go into the text; every value is a parameter. The SELECT list follows MovementRow's order.
            // One command: the movements, then the marks on the same rows (the INSERT leaves them unmarked for the UPDATE to find).
            var (movementTable, movementColumns) = StockTables.Movements.Resolve(db.Model);
            string BatchColumn(string property) => StockTables.Column<Batch>(db.Model, property);
            var markExpired =
                $"INSERT INTO {movementTable} ({movementColumns}) " +
                $"SELECT \"x\".\"Id\", \"x\".\"OutletId\", \"x\".\"ProductId\", {(int)MovementKind.Expiry}, 0, " +
                $"{{{reference}}}, {{{reference + 1}}}, NULL, {{{reference + 2}}}, {{{reference + 3}}} " +
                $"FROM \"Batches\" AS \"x\" WHERE \"x\".\"Id\" IN ({selectIds});\n" +
                $"UPDATE {StockTables.Table<Batch>(db.Model)} SET {BatchColumn(nameof(Batch.ExpiryMarkedAt))} = {{{reference + 2}}} " +
                $"WHERE {BatchColumn(nameof(Batch.Id))} IN ({selectIds});";
            // A sale that emptied one of them in between (a scanned pack) makes the counts differ: the run is retried whole.
            var written = await db.Database.ExecuteSqlRawAsync(markExpired, parameters, c);
            if (written != 2 * batches)
                throw new StockConflictException($"Expiry marking expected {batches} batches, wrote {written} movements and marks.");

            // Managers: per outlet where something newly expired, what its disposal list now holds of expired stock.
            var notices = newOutlets.ToDictionary(id => id, id =>
            {
                var outlet = outlets.First(o => o.Id == id);
                var all = listedGroups.Where(g => g.OutletId == id).ToList();
                int listed = all.Sum(g => g.Batches), units = all.Sum(g => g.Units), products = all.Select(g => g.ProductId).Distinct().Count();
                var newly = pairs.Where(p => p.OutletId == id).Sum(p => p.Batches);
                return new Notice(listed, $"{Plural(listed, "expired batch", "expired batches")} to take off the shelf",
                    $"{Plural(newly, "batch", "batches")} at {outlet.Code} {outlet.Name} expired since the last check: " +
                    $"{Plural(units, "unit", "units")} of {Plural(products, "product", "products")} are out of sellable stock and on the disposal list. " +
                    "Return them to the supplier or destroy them (Inventory, Disposal).");
            });
            await NotifyManagersAsync(notices, days, now.UtcDateTime, c);
            await tx.CommitAsync(c);
            return (pairs, days);
        }, ct);

        var run = new ExpiryRun(touched.Sum(p => p.Batches), touched.Sum(p => p.Units), touched.Select(p => p.ProductId).Distinct().Count());
        if (run.Batches > 0)
            log.LogInformation("Expiry marking: {Batches} batches, {Units} units of {Products} products expired and went onto the disposal lists",
                run.Batches, run.Units, run.Products);
        else
            log.LogInformation("Expiry marking found no newly expired stock");

        foreach (var slice in touched.Select(p => (p.OutletId, p.ProductId)).Chunk(PairsPerNotification))
            await notifier.StockChangedAsync(await StockLevels.ForAsync(db, slice, days, ct), ct);
        return run;
    }

    private static IQueryable<Batch> ExpiredWithStock(IQueryable<Batch> batches, OutletDays days) =>
        batches.Where(b => b.OnHand > 0).Where(ExpiryRule.IsExpired(days));

    /// <summary>Batches and units per (outlet, product), counted and summed in SQL.</summary>
    private static IQueryable<ExpiredGroup> PerProduct(IQueryable<Batch> batches) =>
        batches.GroupBy(b => new { b.OutletId, b.ProductId })
            .Select(g => new ExpiredGroup(g.Key.OutletId, g.Key.ProductId, g.Count(), g.Sum(b => b.OnHand)));

    /// <summary>Not yet marked; the latest of the outlets' dates bounds the seek on the index of unmarked batches on hand.</summary>
    private static IQueryable<Batch> Unmarked(IQueryable<Batch> batches, OutletDays days)
    {
        var latest = days.All.Values.DefaultIfEmpty(DateOnly.MinValue).Max();
        return batches.Where(b => b.ExpiryMarkedAt == null && b.ExpiryDate < latest);
    }

    /// <summary>
    /// Adds or updates today's expired-stock notification of each outlet (one per outlet, kind and outlet's day, held by a
    /// unique index): one read, and one command for the inserts and updates whatever the number of outlets. The job's lock
    /// keeps a second run out between the two.
    /// </summary>
    private async Task NotifyManagersAsync(Dictionary<int, Notice> notices, OutletDays days, DateTime now, CancellationToken ct)
    {
        var dates = notices.Keys.Select(id => days[id]).Distinct().ToList();
        var outletIds = notices.Keys.ToList();
        var existing = (await db.Notifications.Where(n => n.Kind == NotificationKind.Expired && outletIds.Contains(n.OutletId) && dates.Contains(n.Day))
                .Select(n => new { n.Id, n.OutletId, n.Day }).ToListAsync(ct))
            .Where(n => n.Day == days[n.OutletId]).ToDictionary(n => n.OutletId, n => n.Id);
        var w = new WriteBatch();
        w.Insert(StockTables.Notifications, notices.Where(n => !existing.ContainsKey(n.Key))
            .Select(n => new NotificationRow(n.Key, NotificationKind.Expired, days[n.Key], n.Value.Title, n.Value.Body, n.Value.Count, now, now)).ToList());
        // New figures make it unread again.
        w.ForEachRow(notices.Where(n => existing.ContainsKey(n.Key))
            .Select(n => new NoticeUpdate(existing[n.Key], n.Value.Title, n.Value.Body, n.Value.Count, now)).ToList(), m =>
        {
            string C(string property) => StockTables.Column<Notification>(m, property);
            var table = StockTables.Table<Notification>(m);
            return $"UPDATE {table} SET {C(nameof(Notification.Title))} = v.\"{nameof(NoticeUpdate.NoticeTitle)}\", " +
                   $"{C(nameof(Notification.Body))} = v.\"{nameof(NoticeUpdate.NoticeBody)}\", {C(nameof(Notification.Count))} = v.\"{nameof(NoticeUpdate.NoticeCount)}\", " +
                   $"{C(nameof(Notification.UpdatedAt))} = v.\"{nameof(NoticeUpdate.NoticeAt)}\", {C(nameof(Notification.ReadAt))} = NULL FROM v " +
                   $"WHERE {table}.{C(nameof(Notification.Id))} = v.\"{nameof(NoticeUpdate.NoticeId)}\"";
        });
        await w.ExecuteAsync(db, ct);
    }

    /// <summary>The SQL of a query and its parameters, to embed in a set-based statement (braces escaped for ExecuteSqlRaw).</summary>
    private static (string Sql, List<object> Parameters) Subquery(IQueryable<Guid> query)
    {
        // EF clears a command's parameters after running it, so the parameter objects can be handed on.
        using var command = query.CreateDbCommand();
        var parameters = command.Parameters.Cast<object>().ToList();
        command.Parameters.Clear();
        return (command.CommandText.Replace("{", "{{").Replace("}", "}}"), parameters);
    }

    private static string Plural(int n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";

    private sealed record ExpiredGroup(int OutletId, int ProductId, int Batches, int Units);

    private sealed record Notice(int Count, string Title, string Body);

    private sealed record NoticeUpdate(int NoticeId, string NoticeTitle, string NoticeBody, int NoticeCount, DateTime NoticeAt);
}
