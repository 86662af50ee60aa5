using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackOffice.Core.Inventory;

/// <summary>What one expiry run wrote off.</summary>
public sealed record ExpiryRun(int Batches, int Units, int Products);

/// <summary>
/// Writes off expired stock: every batch that has expired in its own outlet's time zone (<see cref="ExpiryRule"/>)
/// and still holds units gets one expiry movement for all of them and drops to zero. Hangfire runs jobs at least
/// once, so a run is all-or-nothing and a second run — after, or at the same time — finds nothing left to do.
/// </summary>
public sealed class ExpiryMarking(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier, ILogger<ExpiryMarking> log)
{
    /// <summary>Who the movements are booked to.</summary>
    public const string UserName = "expiry job";

    // Touched (outlet, product) pairs are announced in slices, so that the parameter lists stay far below the providers' limits.
    private const int PairsPerNotification = 500;

    /// <summary>
    /// One transaction, a constant number of commands whatever the number of batches: a grouped read of what is
    /// expired (for the counts and the notification), one INSERT … SELECT of the movements and one UPDATE of the
    /// batches. Both statements select "expired and OnHand > 0", and the UPDATE zeroes OnHand, so a rerun selects nothing.
    /// </summary>
    public async Task<ExpiryRun> MarkExpiredAsync(CancellationToken ct = default)
    {
        using var activity = BackOfficeTelemetry.StartStockWrite("expiry");
        var now = clock.GetUtcNow();
        var touched = await db.RetryingStockWriteAsync(async c =>
        {
            // SQLite: BEGIN IMMEDIATE, so a second run waits for the first and then sees OnHand = 0.
            await using var tx = await db.BeginStockWriteAsync(c);
            // On the server databases (READ COMMITTED) two runs (two Hangfire servers) take turns on a lock for the transaction.
            await db.TakeJobLockAsync("BackOffice.ExpiryMarking", c);
            var days = await db.OutletDaysAsync(now, c);
            var expired = ExpiredWithStock(db.BatchesToGroupForUpdate(), days);
            var pairs = await expired
                .GroupBy(b => new { b.OutletId, b.ProductId })
                .Select(g => new TouchedPair(g.Key.OutletId, g.Key.ProductId, g.Count(), g.Sum(b => b.OnHand)))
                .ToListAsync(c);
            if (pairs.Count == 0)
            {
                await tx.CommitAsync(c);
                return pairs;
            }

            var batches = pairs.Sum(p => p.Batches);
            var expiredNow = ExpiredWithStock(db.Batches, days);
            // The rule's own translation (the same predicate the sale and stock queries use) becomes the key of both statements.
            var (selectIds, parameters) = Subquery(expiredNow.Select(b => b.Id));
            var reference = parameters.Count;
            parameters.Add(MovementReference.Expiry(now.UtcDateTime).ToString());
            parameters.Add(UserName);
            parameters.Add(now.UtcDateTime);

            // Only EF's own SQL and constants go into the text; every value is a parameter. The SELECT list follows MovementRow's order.
            var (movementTable, movementColumns) = StockTables.Movements.Resolve(db.Model);
            var insertMovements =
                $"INSERT INTO {movementTable} ({movementColumns}) " +
                $"SELECT \"x\".\"Id\", \"x\".\"OutletId\", \"x\".\"ProductId\", {(int)MovementKind.Expiry}, -\"x\".\"OnHand\", " +
                $"{{{reference}}}, {{{reference + 1}}}, NULL, {{{reference + 2}}}, NULL " +
                $"FROM \"Batches\" AS \"x\" WHERE \"x\".\"Id\" IN ({selectIds})";
            var inserted = await db.Database.ExecuteSqlRawAsync(insertMovements, parameters, c);
            // Then the batches, by the same predicate: what the INSERT just booked is exactly what drops to zero.
            var updated = await expiredNow.ExecuteUpdateAsync(u => u.SetProperty(b => b.OnHand, 0).SetProperty(b => b.Version, b => b.Version + 1), c);
            if (inserted != batches || updated != batches)
                throw new StockConflictException($"Expiry marking expected {batches} batches, inserted {inserted} movements and updated {updated} batches.");
            await tx.CommitAsync(c);
            return pairs;
        }, ct);

        var run = new ExpiryRun(touched.Sum(p => p.Batches), touched.Sum(p => p.Units), touched.Select(p => p.ProductId).Distinct().Count());
        if (run.Batches > 0)
            log.LogInformation("Expiry marking wrote off {Batches} batches, {Units} units of {Products} products", run.Batches, run.Units, run.Products);
        else
            log.LogInformation("Expiry marking found no expired stock");

        foreach (var slice in touched.Select(p => (p.OutletId, p.ProductId)).Chunk(PairsPerNotification))
            await notifier.StockChangedAsync(await StockLevels.ForAsync(db, slice, now, ct), ct);
        return run;
    }

    private static IQueryable<Batch> ExpiredWithStock(IQueryable<Batch> batches, OutletDays days) =>
        batches.Where(b => b.OnHand > 0).Where(ExpiryRule.IsExpired(days));

    /// <summary>The SQL of a query and its parameters, to embed in a set-based statement (braces escaped for ExecuteSqlRaw).</summary>
    private static (string Sql, List<object> Parameters) Subquery(IQueryable<Guid> query)
    {
        // EF clears a command's parameters after running it, so the same parameter objects serve both statements.
        using var command = query.CreateDbCommand();
        var parameters = command.Parameters.Cast<object>().ToList();
        command.Parameters.Clear();
        return (command.CommandText.Replace("{", "{{").Replace("}", "}}"), parameters);
    }

    private sealed record TouchedPair(int OutletId, int ProductId, int Batches, int Units);
}
