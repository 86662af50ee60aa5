using System.Diagnostics;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// Invariant 6: marking expiry is all-or-nothing, and running it twice (after, or at once) writes nothing twice. Expired
/// stock stays on hand, out of sellable stock and on the disposal list, until a manager disposes of it.
/// </summary>
public sealed class ExpiryMarkingTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The one extra command a server database runs: the job's lock (SQLite's write lock comes with the transaction).</summary>
    private static int ServerLock => ShopDatabase.Provider == BackOffice.Core.Data.DatabaseProvider.Sqlite ? 0 : 1;

    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();

    public void Dispose() => _database.Dispose();

    private Shop Shop => new(_database, _clock);

    private ExpiryMarking Marking(BackOfficeDb db) => new(db, _clock, _notifier, NullLogger<ExpiryMarking>.Instance);

    private static Task<int> ExpiryMovementsAsync(BackOfficeDb db) => db.Movements.CountAsync(m => m.Kind == MovementKind.Expiry);

    [Fact]
    public async Task Marks_each_expired_batch_with_stock_once_keeps_its_units_on_hand_and_leaves_the_rest()
    {
        var outlet = await Shop.OutletAsync();
        var para = await Shop.ProductAsync("PARA");
        var ibu = await Shop.ProductAsync("IBU");
        var thermo = await Shop.ProductAsync("THERMO", tracksExpiry: false);
        var today = Shop.Today;
        var yesterday = await Shop.BatchAsync(outlet, para, 10, today.AddDays(-1));
        var longAgo = await Shop.BatchAsync(outlet, ibu, 5, today.AddDays(-40));
        var empty = await Shop.BatchAsync(outlet, ibu, 0, today.AddDays(-3));
        var lastDay = await Shop.BatchAsync(outlet, para, 7, today);
        var later = await Shop.BatchAsync(outlet, para, 3, today.AddDays(20));
        var noExpiry = await Shop.BatchAsync(outlet, thermo, 4, null);

        await using var db = _database.Open();
        var run = await Marking(db).MarkExpiredAsync();

        run.ShouldBe(new ExpiryRun(Batches: 2, Units: 15, Products: 2));
        var batches = await db.Batches.AsNoTracking().ToDictionaryAsync(b => b.Id);
        batches[yesterday.Id].OnHand.ShouldBe(10, "expired packs stay on hand until they are disposed of");
        batches[yesterday.Id].Version.ShouldBe(0, "the batch itself is not written");
        batches[longAgo.Id].OnHand.ShouldBe(5);
        batches[empty.Id].OnHand.ShouldBe(0);
        batches[lastDay.Id].OnHand.ShouldBe(7, "a batch is sellable through its expiry date");
        batches[later.Id].OnHand.ShouldBe(3);
        batches[noExpiry.Id].OnHand.ShouldBe(4);
        // One movement of 0 per newly expired batch with stock: the ledger's record of when its units left sellable stock.
        var movements = await db.Movements.AsNoTracking().Where(m => m.Kind == MovementKind.Expiry).OrderBy(m => m.ProductId).ToListAsync();
        movements.Select(m => (m.BatchId, m.Quantity, m.OutletId, m.ProductId)).ShouldBe(
            [(yesterday.Id, 0, outlet.Id, para.Id), (longAgo.Id, 0, outlet.Id, ibu.Id)]);
        movements.ShouldAllBe(m => m.Reference!.StartsWith("expiry:") && m.UserName == ExpiryMarking.UserName && m.CreatedAt == _clock.Now.UtcDateTime
                                   && m.Note == ExpiryMarking.MovementNote);
        await Invariants.AssertLedgerAsync(db);
        (await db.AvailableAsync(outlet.Id, para.Id, today)).ShouldBe(10, "the expired 10 are not available, the 7 and the 3 are");

        // The packs are on the outlet's disposal list, and the managers are told.
        var list = await new DisposalService(db, _clock, _notifier).ListAsync(outlet.Code);
        list.Rows.Select(r => (r.BatchId, r.Quantity, r.Reason)).ShouldBe([(longAgo.Id, 5, DisposalReason.Expired), (yesterday.Id, 10, DisposalReason.Expired)]);
        var notification = await db.Notifications.AsNoTracking().SingleAsync();
        (notification.OutletId, notification.Kind, notification.Day, notification.Count, notification.ReadAt).ShouldBe((outlet.Id, NotificationKind.Expired, today, 2, (DateTime?)null));
        notification.Title.ShouldBe("2 expired batches to take off the shelf");
        notification.Body.ShouldContain("15 units of 2 products");

        // Tills hear about both products at the outlet: sellable stock as after the run (expired units were never sellable).
        _notifier.Notifications.ShouldHaveSingleItem().OrderBy(l => l.Sku).Select(l => (l.Sku, l.Available))
            .ShouldBe([("IBU", 0), ("PARA", 10)]);
    }

    [Fact]
    public async Task A_second_run_finds_nothing_and_writes_nothing()
    {
        var outlet = await Shop.OutletAsync();
        var para = await Shop.ProductAsync("PARA");
        for (var i = 0; i < 5; i++) await Shop.BatchAsync(outlet, para, 2 + i, Shop.Today.AddDays(-1 - i));

        await using var db = _database.Open();
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(5, 20, 1));
        var counter = new CommandCounter();
        await using var again = _database.Open(counter);
        (await Marking(again).MarkExpiredAsync()).ShouldBe(new ExpiryRun(0, 0, 0));

        (await ExpiryMovementsAsync(again)).ShouldBe(5);
        counter.Commands.ShouldNotContain(c => c.Contains("INSERT") || c.Contains("UPDATE"));
        _notifier.Notifications.Count.ShouldBe(1, "a run that changed nothing tells nobody");
        (await again.Notifications.CountAsync()).ShouldBe(1);
        (await again.Batches.SumAsync(b => b.OnHand)).ShouldBe(20);
        await Invariants.AssertLedgerAsync(again);
    }

    [Fact]
    public async Task A_batch_back_in_stock_after_expiring_is_marked_by_the_next_run_and_todays_notification_is_unread_again()
    {
        var outlet = await Shop.OutletAsync();
        var para = await Shop.ProductAsync("PARA");
        await Shop.BatchAsync(outlet, para, 4, Shop.Today.AddDays(-2));
        var empty = await Shop.BatchAsync(outlet, para, 0, Shop.Today.AddDays(-1));

        await using var db = _database.Open();
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(1, 4, 1));
        var notification = await db.Notifications.AsNoTracking().SingleAsync();
        await db.MarkNotificationReadAsync(notification.Id, _clock.Now.UtcDateTime);

        // Three packs turn up in the empty batch (a count): expired, so straight onto the list; the next run marks them.
        await new InventoryService(db, _clock, _notifier).AdjustAsync(empty.Id, 3, AdjustmentReason.Found, null, "manager");
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(1, 3, 1));
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(0, 0, 0));

        var updated = await db.Notifications.AsNoTracking().SingleAsync();
        (updated.Id, updated.Count, updated.ReadAt).ShouldBe((notification.Id, 2, (DateTime?)null), "the same day's notification, with the new figures, unread again");
        updated.Body.ShouldContain("7 units of 1 product");
        (await ExpiryMovementsAsync(db)).ShouldBe(2);
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task A_failure_after_the_first_statement_leaves_nothing_marked_and_a_rerun_marks_all()
    {
        var outlet = await Shop.OutletAsync();
        var para = await Shop.ProductAsync("PARA");
        var ibu = await Shop.ProductAsync("IBU");
        for (var i = 0; i < 3; i++)
        {
            await Shop.BatchAsync(outlet, para, 4, Shop.Today.AddDays(-2));
            await Shop.BatchAsync(outlet, ibu, 6, Shop.Today.AddDays(-9));
        }

        // The movements are inserted; the command after them (the managers' notifications) fails, as a crash there would.
        var failure = new FailAfterCommand(sql => sql.StartsWith("INSERT INTO \"Movements\""));
        await using (var db = _database.Open(failure))
        {
            await Should.ThrowAsync<InvalidOperationException>(() => Marking(db).MarkExpiredAsync());
            failure.Failed.ShouldBeTrue();
        }

        await using (var db = _database.Open())
        {
            (await ExpiryMovementsAsync(db)).ShouldBe(0, "the movements inserted before the failure are rolled back");
            (await db.Notifications.CountAsync()).ShouldBe(0);
            (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(30);
            (await db.Batches.CountAsync(b => b.Version != 0)).ShouldBe(0);
            _notifier.Notifications.ShouldBeEmpty();

            (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(6, 30, 2));
            (await ExpiryMovementsAsync(db)).ShouldBe(6);
            (await db.Notifications.CountAsync()).ShouldBe(1);
            (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(30, "expired stock stays on hand");
            await Invariants.AssertLedgerAsync(db);
        }
    }

    [Fact]
    public async Task Two_runs_at_once_on_two_connections_write_each_movement_exactly_once()
    {
        var outlet = await Shop.OutletAsync();
        await using (var setup = _database.Open())
        {
            var products = await BulkStock.ProductsAsync(setup, "P", 20);
            await BulkStock.BatchesAsync(setup, outlet.Id, products, 500, Shop.Today.AddDays(-1));
        }

        await using var first = _database.Open();
        await using var second = _database.Open();
        using var start = new Barrier(2);
        var runs = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return Marking(first).MarkExpiredAsync(); }),
            Task.Run(() => { start.SignalAndWait(); return Marking(second).MarkExpiredAsync(); }));

        runs.Sum(r => r.Batches).ShouldBe(500, "between them the two runs mark every batch once");
        runs.ShouldContain(r => r.Batches == 0, "the run that waited finds nothing left");
        await using var db = _database.Open();
        (await ExpiryMovementsAsync(db)).ShouldBe(500);
        (await db.Movements.Where(m => m.Kind == MovementKind.Expiry).GroupBy(m => m.BatchId).CountAsync(g => g.Count() > 1)).ShouldBe(0);
        (await db.Notifications.CountAsync()).ShouldBe(1, "one notification for the outlet's day, not one per run");
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task Each_batch_expires_after_its_own_outlets_midnight()
    {
        // 04:30 UTC on 25 November: 05:30 on the 25th in Paris, still 23:30 on the 24th in New York.
        _clock.Now = new DateTimeOffset(2026, 11, 25, 4, 30, 0, TimeSpan.Zero);
        var paris = await Shop.OutletAsync("PARIS", "Europe/Paris");
        var newYork = await Shop.OutletAsync("NYC", "America/New_York");
        var para = await Shop.ProductAsync("PARA");
        var nov24 = new DateOnly(2026, 11, 24);
        var parisYesterday = await Shop.BatchAsync(paris, para, 5, nov24);
        var parisToday = await Shop.BatchAsync(paris, para, 6, nov24.AddDays(1));
        var newYorkToday = await Shop.BatchAsync(newYork, para, 7, nov24);
        var newYorkYesterday = await Shop.BatchAsync(newYork, para, 8, nov24.AddDays(-1));

        await using var db = _database.Open();
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(2, 13, 1));
        Task<List<Guid>> MarkedAsync() => db.Movements.Where(m => m.Kind == MovementKind.Expiry).Select(m => m.BatchId).ToListAsync();
        var marked = await MarkedAsync();
        marked.ShouldContain(parisYesterday.Id, "24 November has ended in Paris");
        marked.ShouldNotContain(parisToday.Id, "25 November is today in Paris");
        marked.ShouldNotContain(newYorkToday.Id, "24 November is still today in New York");
        marked.ShouldContain(newYorkYesterday.Id);
        (await db.Notifications.AsNoTracking().OrderBy(n => n.OutletId).Select(n => new { n.OutletId, n.Day }).ToListAsync())
            .ShouldBe([new { OutletId = paris.Id, Day = nov24.AddDays(1) }, new { OutletId = newYork.Id, Day = nov24 }], "each on its outlet's own date");

        // Half an hour later it is midnight in New York: its batch of the 24th goes, nothing else; New York's new day has its own notification.
        _clock.Now = _clock.Now.AddMinutes(31);
        (await Marking(db).MarkExpiredAsync()).ShouldBe(new ExpiryRun(1, 7, 1));
        (await MarkedAsync()).ShouldBe([parisYesterday.Id, newYorkYesterday.Id, newYorkToday.Id], ignoreOrder: true);
        (await db.Batches.AsNoTracking().SumAsync(b => b.OnHand)).ShouldBe(26, "nothing left the shelf by itself");
        var newYorkToday25 = await db.Notifications.AsNoTracking().SingleAsync(n => n.OutletId == newYork.Id && n.Day == nov24.AddDays(1));
        newYorkToday25.Count.ShouldBe(2, "both of New York's expired batches are on its list");
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task The_number_of_commands_is_the_same_for_10_and_1000_expired_batches()
    {
        var counts = new List<int>();
        foreach (var batches in new[] { 10, 1000 })
        {
            using var database = new ShopDatabase();
            var shop = new Shop(database, _clock);
            var a = await shop.OutletAsync("A", "Europe/Paris");
            var b = await shop.OutletAsync("B", "America/New_York");
            await using (var setup = database.Open())
            {
                var products = await BulkStock.ProductsAsync(setup, "P", 10);
                await BulkStock.BatchesAsync(setup, a.Id, products, batches / 2, shop.Today.AddDays(-3));
                await BulkStock.BatchesAsync(setup, b.Id, products, batches / 2, shop.Today.AddDays(-3));
            }
            var counter = new CommandCounter();
            var transactions = new TransactionCounter();
            await using var db = database.Open(counter, transactions);
            (await new ExpiryMarking(db, _clock, _notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync()).Batches.ShouldBe(batches);
            transactions.Count.ShouldBe(1);
            output.WriteLine($"{batches} batches: {counter.Count} commands\n  " + string.Join("\n  ", counter.Commands.Select(c => c.Split('\n')[0])));
            counts.Add(counter.Count);
            await Invariants.AssertLedgerAsync(db);
        }
        counts[1].ShouldBe(counts[0]);
        counts[0].ShouldBeLessThanOrEqualTo(9 + ServerLock,
            "the outlets, what newly expired, the outlets' expired totals, the marks (movements and flags in one command), the notifications read and write, then the stock levels for the tills (and a server database's job lock)");
    }

    [Fact]
    public async Task A_rerun_asks_one_question_whatever_the_disposal_lists_hold()
    {
        var counts = new List<int>();
        foreach (var batches in new[] { 10, 1000 })
        {
            using var database = new ShopDatabase();
            var shop = new Shop(database, _clock);
            var outlet = await shop.OutletAsync("A", "Europe/Paris");
            await using (var setup = database.Open())
            {
                var products = await BulkStock.ProductsAsync(setup, "P", 10);
                await BulkStock.BatchesAsync(setup, outlet.Id, products, batches, shop.Today.AddDays(-3));
            }
            await using (var first = database.Open())
                (await new ExpiryMarking(first, _clock, _notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync()).Batches.ShouldBe(batches);
            var counter = new CommandCounter();
            await using var db = database.Open(counter);
            (await new ExpiryMarking(db, _clock, _notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync()).Batches.ShouldBe(0);
            counts.Add(counter.Count);
            (await db.Batches.CountAsync(b => b.ExpiryMarkedAt == _clock.Now.UtcDateTime)).ShouldBe(batches, "each batch marked by the run that wrote its movement");
        }
        counts[1].ShouldBe(counts[0]);
        counts[0].ShouldBeLessThanOrEqualTo(2 + ServerLock, "the outlets and whether anything newly expired (and a server database's job lock)");
    }

    [SqliteFact]
    public async Task The_rerun_question_seeks_the_index_of_unmarked_batches_on_hand()
    {
        var outlet = await Shop.OutletAsync();
        await using (var setup = _database.Open())
        {
            var products = await BulkStock.ProductsAsync(setup, "P", 10);
            await BulkStock.BatchesAsync(setup, outlet.Id, products, 200, Shop.Today.AddDays(-3));
            await BulkStock.BatchesAsync(setup, outlet.Id, products, 200, Shop.Today.AddDays(30));
        }
        await using (var first = _database.Open()) await Marking(first).MarkExpiredAsync();
        var plans = await QueryPlans.OfAsync(_database, db => Marking(db).MarkExpiredAsync());
        var question = plans.Single(p => p.Sql.Contains("\"Batches\" AS"));
        question.Steps.ShouldContain(step => step.Contains("USING INDEX IX_Batches_UnmarkedOnHand"), string.Join(" | ", question.Steps));
        QueryPlans.AssertNoScan(plans, "Batches");
    }

    /// <summary>Scale in the test command: 5,000 expired batches, one transaction, constant commands, run ≤ 3 s, rerun ≤ 100 ms.</summary>
    [Fact]
    public async Task Five_thousand_expired_batches_in_one_transaction_and_a_quick_rerun()
    {
        var stats = await ScaleRunAsync(_database, _clock, 5_000, output);
        stats.Run.ShouldBeLessThan(TimeSpan.FromSeconds(3));
        stats.Rerun.ShouldBeLessThan(TimeSpan.FromMilliseconds(100));
    }

    // The 100,000-batch case lives in tests/Benchmarks (ExpiryBenchmarks; figures and command in README): run in
    // this suite beside the other tests on the shared 2-core machine it took 2 to 16 s and 46 s with its set-up.

    internal static async Task<(TimeSpan Run, TimeSpan Rerun)> ScaleRunAsync(ShopDatabase database, FixedClock clock, int batches, ITestOutputHelper output)
    {
        var shop = new Shop(database, clock);
        var a = await shop.OutletAsync("A", "Europe/Paris");
        var b = await shop.OutletAsync("B", "America/New_York");
        var setupTime = Stopwatch.StartNew();
        await using (var setup = database.Open())
        {
            var products = await BulkStock.ProductsAsync(setup, "P", 200);
            await BulkStock.BatchesAsync(setup, a.Id, products, batches / 2, shop.Today.AddDays(-2));
            await BulkStock.BatchesAsync(setup, b.Id, products, batches / 2, shop.Today.AddDays(-2));
            // Stock that stays: sellable batches of the same products.
            await BulkStock.BatchesAsync(setup, a.Id, products, 1_000, shop.Today.AddDays(30));
        }
        setupTime.Stop();

        var notifier = new RecordingNotifier();
        var counter = new CommandCounter();
        var transactions = new TransactionCounter();
        await using var db = database.Open(counter, transactions);
        await db.Database.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        var run = await new ExpiryMarking(db, clock, notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        var runTime = watch.Elapsed;
        var runCommands = counter.Count;
        run.ShouldBe(new ExpiryRun(batches, batches * 3, 200));
        transactions.Count.ShouldBe(1);
        runCommands.ShouldBeLessThanOrEqualTo(9 + ServerLock);
        notifier.Notifications.Sum(n => n.Count).ShouldBe(400);

        counter.Reset();
        watch.Restart();
        var rerun = await new ExpiryMarking(db, clock, notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        var rerunTime = watch.Elapsed;
        rerun.Batches.ShouldBe(0);
        output.WriteLine($"{batches:N0} expired batches: setup {setupTime.ElapsedMilliseconds} ms; run {runTime.TotalMilliseconds:N0} ms " +
                         $"({runCommands} commands, {transactions.Count} transaction); rerun {rerunTime.TotalMilliseconds:N1} ms ({counter.Count} commands)");
        Console.WriteLine($"[expiry scale] {batches:N0} batches: run {runTime.TotalMilliseconds:N0} ms, {runCommands} commands; rerun {rerunTime.TotalMilliseconds:N1} ms, {counter.Count} commands");

        (await db.Movements.CountAsync(m => m.Kind == MovementKind.Expiry)).ShouldBe(batches);
        (await db.Batches.SumAsync(x => x.OnHand)).ShouldBe(batches * 3 + 3_000, "expired stock stays on hand until disposed of");
        await Invariants.AssertLedgerAsync(db);
        return (runTime, rerunTime);
    }
}
