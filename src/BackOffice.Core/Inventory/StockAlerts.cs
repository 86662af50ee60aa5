using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackOffice.Core.Inventory;

/// <summary>How far ahead the near-expiry alert looks: a default, and per outlet code where a shop wants another horizon.</summary>
public sealed class StockAlertOptions
{
    public int NearExpiryDays { get; set; } = 30;
    public Dictionary<string, int> NearExpiryDaysByOutlet { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int HorizonFor(string outletCode) =>
        NearExpiryDaysByOutlet.TryGetValue(outletCode, out var days) ? days : NearExpiryDays;
}

/// <summary>What one alert check did: outlets with something to report, and the notifications it added or changed.</summary>
public sealed record AlertRun(NotificationKind Kind, int Outlets, int Count, int Added, int Updated);

/// <summary>
/// The daily checks that become managers' notifications: batches about to expire, and products at or below their
/// reorder level. Each writes at most one notification per (outlet, kind, outlet's day); a rerun updates it.
/// </summary>
public sealed class StockAlerts(BackOfficeDb db, TimeProvider clock, StockAlertOptions options, ILogger<StockAlerts> log)
{
    /// <summary>Sellable batches with stock that expire within the outlet's horizon (from today, each in its own zone).</summary>
    public async Task<AlertRun> CheckNearExpiryAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var outlets = await db.Outlets.Select(o => new { o.Id, o.Code, o.Name, o.TimeZoneId }).ToListAsync(ct);
        var days = new OutletDays(outlets.Select(o => (o.Id, o.TimeZoneId)), now);
        var found = new Dictionary<int, Summary>();
        // One grouped query per distinct horizon (configuration, not data, decides how many).
        foreach (var group in outlets.GroupBy(o => options.HorizonFor(o.Code)))
        {
            var groupDays = new OutletDays(group.Select(o => (o.Id, o.TimeZoneId)), now);
            var rows = await db.Batches.Where(b => b.OnHand > 0).Where(ExpiryRule.ExpiresWithin(groupDays, group.Key))
                .GroupBy(b => b.OutletId)
                .Select(g => new
                {
                    OutletId = g.Key,
                    Batches = g.Count(),
                    Units = g.Sum(b => b.OnHand),
                    Products = g.Select(b => b.ProductId).Distinct().Count(),
                    First = g.Min(b => b.ExpiryDate),
                })
                .ToListAsync(ct);
            foreach (var r in rows)
            {
                var outlet = outlets.First(o => o.Id == r.OutletId);
                var until = days[r.OutletId].AddDays(group.Key);
                found[r.OutletId] = new Summary(r.Batches,
                    $"{Plural(r.Batches, "batch", "batches")} expiring within {Plural(group.Key, "day", "days")}",
                    $"{Plural(r.Units, "unit", "units")} of {Plural(r.Products, "product", "products")} at {outlet.Code} {outlet.Name} " +
                    $"expire by {until:yyyy-MM-dd}; the first on {r.First:yyyy-MM-dd}. Sell them first, move them, or return them to the supplier.");
            }
        }
        var run = await WriteAsync(NotificationKind.NearExpiry, days, found, "No batches expiring soon any more",
            "Nothing at this outlet expires within the alert horizon now.", ct);
        log.LogInformation("Near-expiry check: {Outlets} outlets with batches about to expire ({Count} batches); {Added} notifications added, {Updated} updated",
            run.Outlets, run.Count, run.Added, run.Updated);
        return run;
    }

    /// <summary>Active products whose sellable quantity is at or below their reorder level, per outlet.</summary>
    public async Task<AlertRun> CheckLowStockAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var outlets = await db.Outlets.Select(o => new { o.Id, o.Code, o.Name, o.TimeZoneId }).ToListAsync(ct);
        var days = new OutletDays(outlets.Select(o => (o.Id, o.TimeZoneId)), now);
        var rows = await db.LowStockLines(days)
            .GroupBy(l => l.OutletId)
            .Select(g => new { OutletId = g.Key, Products = g.Count(), OutOfStock = g.Count(l => l.Available <= 0) })
            .ToListAsync(ct);
        var found = rows.ToDictionary(r => r.OutletId, r =>
        {
            var outlet = outlets.First(o => o.Id == r.OutletId);
            return new Summary(r.Products,
                $"{Plural(r.Products, "product", "products")} at or below reorder level",
                $"{Plural(r.Products, "active product", "active products")} at {outlet.Code} {outlet.Name} " +
                (r.Products == 1 ? "is at or below its reorder level" : "are at or below their reorder level") +
                (r.OutOfStock > 0 ? $", {r.OutOfStock} of them out of sellable stock." : "."));
        });
        var run = await WriteAsync(NotificationKind.LowStock, days, found, "No products low on stock any more",
            "Every active product at this outlet is above its reorder level now.", ct);
        log.LogInformation("Low-stock check: {Outlets} outlets low on {Count} products in all; {Added} notifications added, {Updated} updated",
            run.Outlets, run.Count, run.Added, run.Updated);
        return run;
    }

    /// <summary>
    /// Adds or updates today's notification of each outlet with something to report, and updates (never adds) the
    /// ones of outlets that had something earlier today and have nothing now. Reads today's notifications of the
    /// kind in one query and writes them in one batched SaveChanges. Two checks at once: on SQLite the write
    /// transaction serializes them; elsewhere the unique index rejects the second insert and the check retries.
    /// </summary>
    private Task<AlertRun> WriteAsync(NotificationKind kind, OutletDays days, Dictionary<int, Summary> found,
        string clearedTitle, string clearedBody, CancellationToken ct) =>
        // Inside the provider's execution strategy, which SQL Server's retry-on-failure needs around a transaction.
        db.Database.CreateExecutionStrategy().ExecuteAsync(c => WriteOnceAsync(kind, days, found, clearedTitle, clearedBody, c), ct);

    private async Task<AlertRun> WriteOnceAsync(NotificationKind kind, OutletDays days, Dictionary<int, Summary> found,
        string clearedTitle, string clearedBody, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var dates = days.All.Values.Distinct().ToList();
        for (var tries = 1; ; tries++)
        {
            try
            {
                await using var tx = await db.BeginStockWriteAsync(ct);
                var existing = (await db.Notifications.Where(n => n.Kind == kind && dates.Contains(n.Day)).ToListAsync(ct))
                    .Where(n => days.All.TryGetValue(n.OutletId, out var day) && n.Day == day)
                    .ToDictionary(n => n.OutletId);
                int added = 0, updated = 0;
                foreach (var (outletId, today) in days.All)
                {
                    var hasNow = found.TryGetValue(outletId, out var summary);
                    existing.TryGetValue(outletId, out var notification);
                    if (!hasNow && notification is null) continue;
                    summary ??= new Summary(0, clearedTitle, clearedBody);
                    if (notification is null)
                    {
                        db.Notifications.Add(new Notification
                        {
                            OutletId = outletId, Kind = kind, Day = today, Title = summary.Title, Body = summary.Body,
                            Count = summary.Count, CreatedAt = now, UpdatedAt = now,
                        });
                        added++;
                    }
                    else if (notification.Count != summary.Count || notification.Body != summary.Body)
                    {
                        // Other figures than the ones a manager read: unread again.
                        notification.Title = summary.Title;
                        notification.Body = summary.Body;
                        notification.Count = summary.Count;
                        notification.UpdatedAt = now;
                        notification.ReadAt = null;
                        updated++;
                    }
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return new AlertRun(kind, found.Count, found.Values.Sum(s => s.Count), added, updated);
            }
            catch (DbUpdateException) when (tries < 3)
            {
                // Another check added today's notification meanwhile: read again and update it.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static string Plural(int n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";

    private sealed record Summary(int Count, string Title, string Body);
}

/// <summary>The managers' inbox of stock alerts.</summary>
public static class NotificationInbox
{
    public static Task<int> UnreadCountAsync(this BackOfficeDb db, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.ReadAt == null, ct);

    /// <summary>The latest notifications, newest day first, with the outlet's code and name.</summary>
    public static Task<List<NotificationView>> LatestNotificationsAsync(this BackOfficeDb db, int take = 100, bool unreadOnly = false, CancellationToken ct = default) =>
        db.Notifications.Where(n => !unreadOnly || n.ReadAt == null)
            .OrderByDescending(n => n.Day).ThenByDescending(n => n.UpdatedAt).ThenBy(n => n.Id)
            .Take(take)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Day, n.Outlet.Code, n.Outlet.Name, n.Title, n.Body, n.Count, n.UpdatedAt, n.ReadAt))
            .ToListAsync(ct);

    /// <summary>Marks one notification read; false when it does not exist.</summary>
    public static async Task<bool> MarkNotificationReadAsync(this BackOfficeDb db, int id, DateTime at, CancellationToken ct = default) =>
        await db.Notifications.Where(n => n.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.ReadAt ?? at), ct) == 1;

    /// <summary>Marks every unread notification read, in one statement; returns how many.</summary>
    public static Task<int> MarkAllNotificationsReadAsync(this BackOfficeDb db, DateTime at, CancellationToken ct = default) =>
        db.Notifications.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, at), ct);
}

public sealed record NotificationView(int Id, NotificationKind Kind, DateOnly Day, string OutletCode, string OutletName,
    string Title, string Body, int Count, DateTime UpdatedAt, DateTime? ReadAt);
