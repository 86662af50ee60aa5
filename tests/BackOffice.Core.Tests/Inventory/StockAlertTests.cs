using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>Near-expiry and low-stock alerts: one notification per (outlet, kind, outlet's day), however often they run.</summary>
public sealed class StockAlertTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly StockAlertOptions _options = new() { NearExpiryDays = 30 };

    public void Dispose() => _database.Dispose();

    private Shop Shop => new(_database, _clock);

    private StockAlerts Alerts(BackOfficeDb db) => new(db, _clock, _options, NullLogger<StockAlerts>.Instance);

    [Fact]
    public async Task Near_expiry_makes_one_notification_per_outlet_and_a_rerun_updates_it()
    {
        var a = await Shop.OutletAsync("A");
        var b = await Shop.OutletAsync("B");
        var quiet = await Shop.OutletAsync("C");
        var para = await Shop.ProductAsync("PARA");
        var ibu = await Shop.ProductAsync("IBU");
        var today = Shop.Today;
        await Shop.BatchAsync(a, para, 4, today);            // last day: still counts
        await Shop.BatchAsync(a, ibu, 6, today.AddDays(30)); // at the horizon
        await Shop.BatchAsync(a, ibu, 9, today.AddDays(31)); // beyond
        await Shop.BatchAsync(a, para, 2, today.AddDays(-1)); // already expired: the expiry job's business, not an alert
        await Shop.BatchAsync(a, para, 0, today.AddDays(3));  // nothing left
        await Shop.BatchAsync(b, para, 5, today.AddDays(10));
        await Shop.BatchAsync(quiet, para, 5, today.AddDays(100));

        await using var db = _database.Open();
        var run = await Alerts(db).CheckNearExpiryAsync();
        run.ShouldBe(new AlertRun(NotificationKind.NearExpiry, Outlets: 2, Count: 3, Added: 2, Updated: 0));
        var notes = await db.Notifications.AsNoTracking().OrderBy(n => n.OutletId).ToListAsync();
        notes.Select(n => (n.OutletId, n.Kind, n.Day, n.Count)).ShouldBe(
            [(a.Id, NotificationKind.NearExpiry, today, 2), (b.Id, NotificationKind.NearExpiry, today, 1)]);
        notes[0].Title.ShouldBe("2 batches expiring within 30 days");
        notes[0].Body.ShouldContain("10 units of 2 products at A");
        notes[0].Body.ShouldContain($"the first on {today:yyyy-MM-dd}");

        // Read, rerun with the same figures: still one each, still read.
        await db.MarkAllNotificationsReadAsync(_clock.Now.UtcDateTime);
        (await Alerts(db).CheckNearExpiryAsync()).ShouldBe(new AlertRun(NotificationKind.NearExpiry, 2, 3, 0, 0));
        (await db.Notifications.CountAsync()).ShouldBe(2);
        (await db.UnreadCountAsync()).ShouldBe(0);

        // New figures the same day: the same notification changes and is unread again.
        await Shop.BatchAsync(b, ibu, 1, today.AddDays(2));
        db.ChangeTracker.Clear();
        (await Alerts(db).CheckNearExpiryAsync()).ShouldBe(new AlertRun(NotificationKind.NearExpiry, 2, 4, 0, 1));
        (await db.Notifications.CountAsync()).ShouldBe(2);
        (await db.Notifications.AsNoTracking().SingleAsync(n => n.OutletId == b.Id)).ShouldSatisfyAllConditions(
            n => n.Count.ShouldBe(2), n => n.ReadAt.ShouldBeNull());

        // The next day is a new notification.
        _clock.Now = _clock.Now.AddDays(1);
        db.ChangeTracker.Clear();
        (await Alerts(db).CheckNearExpiryAsync()).Added.ShouldBe(2);
        (await db.Notifications.CountAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task Near_expiry_horizon_can_differ_per_outlet()
    {
        _options.NearExpiryDaysByOutlet["B"] = 7;
        var a = await Shop.OutletAsync("A");
        var b = await Shop.OutletAsync("B");
        var para = await Shop.ProductAsync("PARA");
        await Shop.BatchAsync(a, para, 1, Shop.Today.AddDays(20));
        await Shop.BatchAsync(b, para, 1, Shop.Today.AddDays(20));
        await Shop.BatchAsync(b, para, 1, Shop.Today.AddDays(5));

        await using var db = _database.Open();
        await Alerts(db).CheckNearExpiryAsync();
        var counts = await db.Notifications.ToDictionaryAsync(n => n.OutletId, n => (n.Count, n.Title));
        counts[a.Id].ShouldBe((1, "1 batch expiring within 30 days"));
        counts[b.Id].ShouldBe((1, "1 batch expiring within 7 days"));
    }

    [Fact]
    public async Task Low_stock_makes_one_notification_per_outlet_even_when_run_twice_or_twice_at_once()
    {
        var a = await Shop.OutletAsync("A");
        var b = await Shop.OutletAsync("B");
        var para = await Shop.ProductAsync("PARA", reorderLevel: 5);
        var ibu = await Shop.ProductAsync("IBU", reorderLevel: 5);
        await Shop.ProductAsync("OLD", reorderLevel: 5, active: false);
        await Shop.BatchAsync(a, para, 5, Shop.Today.AddDays(100));   // at the level: low
        await Shop.BatchAsync(a, ibu, 6, Shop.Today.AddDays(100));    // above
        await Shop.BatchAsync(a, ibu, 50, Shop.Today.AddDays(-1));    // expired: does not count
        await Shop.BatchAsync(b, para, 20, Shop.Today.AddDays(100));  // B: IBU has no batch at all, so it is out

        await using (var first = _database.Open())
        await using (var second = _database.Open())
        {
            var runs = await Task.WhenAll(Task.Run(() => Alerts(first).CheckLowStockAsync()), Task.Run(() => Alerts(second).CheckLowStockAsync()));
            runs.Sum(r => r.Added).ShouldBe(2);
        }

        await using var db = _database.Open();
        (await Alerts(db).CheckLowStockAsync()).ShouldBe(new AlertRun(NotificationKind.LowStock, 2, 2, 0, 0));
        var notes = await db.Notifications.AsNoTracking().OrderBy(n => n.OutletId).ToListAsync();
        notes.Select(n => (n.OutletId, n.Kind, n.Count)).ShouldBe([(a.Id, NotificationKind.LowStock, 1), (b.Id, NotificationKind.LowStock, 1)]);
        notes[0].Body.ShouldBe("1 active product at A A is at or below its reorder level.");
        notes[1].Body.ShouldEndWith("1 of them out of sellable stock.");

        // Restocked later that day: the notification says so instead of disappearing, and is unread again.
        await db.MarkAllNotificationsReadAsync(_clock.Now.UtcDateTime);
        await Shop.BatchAsync(b, ibu, 30, Shop.Today.AddDays(100));
        db.ChangeTracker.Clear();
        (await Alerts(db).CheckLowStockAsync()).ShouldBe(new AlertRun(NotificationKind.LowStock, 1, 1, 0, 1));
        var resolved = await db.Notifications.AsNoTracking().SingleAsync(n => n.OutletId == b.Id);
        resolved.Count.ShouldBe(0);
        resolved.Title.ShouldBe("No products low on stock any more");
        (await db.UnreadCountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_day_of_a_notification_is_the_outlets_own_date()
    {
        _clock.Now = new DateTimeOffset(2026, 11, 25, 4, 30, 0, TimeSpan.Zero);
        var paris = await Shop.OutletAsync("PARIS", "Europe/Paris");
        var newYork = await Shop.OutletAsync("NYC", "America/New_York");
        await Shop.ProductAsync("PARA", reorderLevel: 5);

        await using var db = _database.Open();
        await Alerts(db).CheckLowStockAsync();
        var days = await db.Notifications.ToDictionaryAsync(n => n.OutletId, n => n.Day);
        days[paris.Id].ShouldBe(new DateOnly(2026, 11, 25));
        days[newYork.Id].ShouldBe(new DateOnly(2026, 11, 24));
    }

    [Fact]
    public async Task Inbox_lists_newest_first_and_marks_read()
    {
        var a = await Shop.OutletAsync("A");
        await Shop.ProductAsync("PARA", reorderLevel: 5);
        await using var db = _database.Open();
        await Alerts(db).CheckLowStockAsync();
        _clock.Now = _clock.Now.AddDays(1);
        await Alerts(db).CheckLowStockAsync();

        var list = await db.LatestNotificationsAsync();
        list.Select(n => n.Day).ShouldBe([Shop.Today, Shop.Today.AddDays(-1)]);
        list.ShouldAllBe(n => n.OutletCode == "A" && n.ReadAt == null);
        (await db.UnreadCountAsync()).ShouldBe(2);
        (await db.MarkNotificationReadAsync(list[0].Id, _clock.Now.UtcDateTime)).ShouldBeTrue();
        (await db.MarkNotificationReadAsync(12345, _clock.Now.UtcDateTime)).ShouldBeFalse();
        (await db.UnreadCountAsync()).ShouldBe(1);
        (await db.LatestNotificationsAsync(unreadOnly: true)).ShouldHaveSingleItem().Id.ShouldBe(list[1].Id);
        (await db.MarkAllNotificationsReadAsync(_clock.Now.UtcDateTime)).ShouldBe(1);
        (await db.UnreadCountAsync()).ShouldBe(0);
        a.Id.ShouldBePositive();
    }
}
