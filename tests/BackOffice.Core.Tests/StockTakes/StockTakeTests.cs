using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.StockTakes;

public sealed class StockTakeTests : IDisposable
{
    private readonly SqliteDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public StockTakeTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private StockTakeService Takes(BackOfficeDb db) => new(db, _clock, _notifier);

    [Fact]
    public async Task Full_flow_open_count_recount_detect_movement_post_once()
    {
        var outlet = await _shop.OutletAsync();
        var other = await _shop.OutletAsync("OTHER");
        var para = await _shop.ProductAsync("PARA");
        var ibu = await _shop.ProductAsync("IBU");
        var gauze = await _shop.ProductAsync("GAUZE", tracksExpiry: false);
        var paraEarly = await _shop.BatchAsync(outlet, para, 10, _shop.Today.AddDays(20), lot: "P1");
        var paraLate = await _shop.BatchAsync(outlet, para, 8, _shop.Today.AddDays(200), lot: "P2");
        var ibuA = await _shop.BatchAsync(outlet, ibu, 5, _shop.Today.AddDays(30), lot: "I1");
        var ibuB = await _shop.BatchAsync(outlet, ibu, 7, _shop.Today.AddDays(60), lot: "I2");
        var gauzeBatch = await _shop.BatchAsync(outlet, gauze, 4, null, lot: "G1");
        await _shop.BatchAsync(other, para, 50, _shop.Today.AddDays(20), lot: "P1");

        // Open: one line per batch holding stock at this outlet, with the snapshot's quantity.
        var counter = new CommandCounter();
        int takeId;
        await using (var db = _database.Open(counter))
            takeId = await Takes(db).OpenStockTakeAsync(new OpenStockTake(outlet.Id, null, Blind: true), "manager");
        counter.Count.ShouldBeLessThanOrEqualTo(4, "begin, outlet check, the take, one INSERT … SELECT of the lines");
        await using (var db = _database.Open())
        {
            var lines = await Takes(db).LinesAsync(takeId);
            lines.Count.ShouldBe(5);
            lines.Single(l => l.BatchId == paraEarly.Id).Expected.ShouldBe(10);
            lines.ShouldAllBe(l => l.Counted == null);
            (await db.StockTakes.SingleAsync(t => t.Id == takeId)).Blind.ShouldBeTrue();
        }

        _clock.Now = _clock.Now.AddMinutes(5);
        await using (var db = _database.Open())
        {
            var takes = Takes(db);
            // Para counted per lot: early lot 9 (one missing), late lot 8.
            await takes.RecordCountAsync(takeId, "PARA", "P1", 9);
            await takes.RecordCountAsync(takeId, "PARA", "P2", 8);
            // Ibuprofen counted without lot: 9 of the expected 12.
            var ibuLine = await takes.RecordCountAsync(takeId, "IBU", null, 9);
            // A second no-lot count for the same product is refused by the database's unique index, with a clear message.
            var twice = await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(takeId, "IBU", null, 4));
            twice.Errors["code"].ShouldHaveSingleItem().ShouldContain("already counted without a lot");
            // Counting a lot twice is refused too.
            (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(takeId, "PARA", "P1", 3)))
                .Errors["lotNumber"].ShouldHaveSingleItem().ShouldContain("already counted");
            (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(takeId, "NOPE", null, 1)))
                .Errors.ShouldContainKey("code");
            // Gauze: 10 found where 4 were expected.
            await takes.RecordCountAsync(takeId, "GAUZE", "G1", 10);

            // Recount: variances over 2 units are flagged (ibuprofen −3, gauze +6), then the gauze is recounted.
            (await takes.FlagRecountsAsync(takeId, 2)).ShouldBe(2);
            var lines = await takes.LinesAsync(takeId);
            lines.Where(l => l.NeedsRecount).Select(l => l.Sku).ShouldBe(["GAUZE", "IBU"], ignoreOrder: true);
            await takes.CorrectCountAsync(lines.Single(l => l.Sku == "GAUZE").Id, 6);
            (await takes.LinesAsync(takeId)).Single(l => l.Sku == "GAUZE").ShouldSatisfyAllConditions(
                l => l.Counted.ShouldBe(6), l => l.NeedsRecount.ShouldBeFalse());
            _ = ibuLine;
        }

        // Stock moves at the outlet during the count: detected per product.
        _clock.Now = _clock.Now.AddMinutes(5);
        await using (var db = _database.Open())
        {
            (await Takes(db).MovedSinceSnapshotAsync(takeId)).ShouldBeEmpty();
            await new InventoryService(db, _clock, _notifier).AdjustAsync(paraLate.Id, -1, AdjustmentReason.Damage, null, "manager");
            var moved = await Takes(db).MovedSinceSnapshotAsync(takeId);
            moved.ShouldHaveSingleItem().ShouldSatisfyAllConditions(m => m.Sku.ShouldBe("PARA"), m => m.NetQuantity.ShouldBe(-1));
            // The late lot now holds 7 but was counted 8 before the damage: refresh takes the new snapshot, the count is kept.
            await Takes(db).RefreshExpectedAsync(takeId);
            (await Takes(db).MovedSinceSnapshotAsync(takeId)).ShouldBeEmpty();
            (await Takes(db).LinesAsync(takeId)).Single(l => l.BatchId == paraLate.Id).ShouldSatisfyAllConditions(
                l => l.Expected.ShouldBe(7), l => l.Counted.ShouldBe(8));
            await takes_recount_late_lot(db);
        }

        // Review then post: the plan is what posting writes.
        IReadOnlyList<StockTakeVariance> plan;
        await using (var db = _database.Open())
            plan = await Takes(db).PlanAsync(takeId);
        plan.Select(p => (p.BatchId, p.Change)).ShouldBe(
            [(gauzeBatch.Id, 2), (ibuA.Id, -3), (paraEarly.Id, -1)], ignoreOrder: true);
        plan.Single(p => p.BatchId == paraEarly.Id).Value.ShouldBe(-1.5m);

        await using (var db = _database.Open())
        {
            var posted = await Takes(db).PostStockTakeAsync(takeId, "manager");
            posted.Count.ShouldBe(3);
            // What the posted take's page shows afterwards: the changes it wrote, read back from the ledger.
            (await Takes(db).PostedVariancesAsync(takeId)).Select(v => (v.BatchId, v.Change)).ShouldBe(
                [(gauzeBatch.Id, 2), (ibuA.Id, -3), (paraEarly.Id, -1)], ignoreOrder: true);
            // Post again: refused, and nothing more is written.
            var again = await Should.ThrowAsync<ValidationFailedException>(() => Takes(db).PostStockTakeAsync(takeId, "manager"));
            again.Errors["status"].ShouldHaveSingleItem().ShouldContain("already posted");
            (await Should.ThrowAsync<ValidationFailedException>(() => Takes(db).RecordCountAsync(takeId, "PARA", null, 1)))
                .Errors.ShouldContainKey("status");
        }

        await using (var db = _database.Open())
        {
            var onHand = await db.Batches.Where(b => b.OutletId == outlet.Id).ToDictionaryAsync(b => b.Id, b => b.OnHand);
            onHand[paraEarly.Id].ShouldBe(9);
            onHand[paraLate.Id].ShouldBe(7);
            onHand[ibuA.Id].ShouldBe(2, "the missing ibuprofen came out of the earliest-expiring lot first");
            onHand[ibuB.Id].ShouldBe(7);
            onHand[gauzeBatch.Id].ShouldBe(6);
            var movements = await db.Movements.Where(m => m.Kind == MovementKind.StockTake).ToListAsync();
            movements.Count.ShouldBe(3);
            movements.ShouldAllBe(m => m.Reference == $"stocktake:{takeId}" && m.UserName == "manager");
            movements.Sum(m => m.Quantity).ShouldBe(-2);
            var take = await db.StockTakes.SingleAsync(t => t.Id == takeId);
            take.Status.ShouldBe(StockTakeStatus.Posted);
            take.PostedBy.ShouldBe("manager");
            await Invariants.AssertLedgerAsync(db);
        }
        _notifier.Notifications.Last().Select(n => n.Sku).ShouldBe(["GAUZE", "IBU", "PARA"], ignoreOrder: true);

        async Task takes_recount_late_lot(BackOfficeDb db)
        {
            var line = (await Takes(db).LinesAsync(takeId)).Single(l => l.BatchId == paraLate.Id);
            await Takes(db).CorrectCountAsync(line.Id, 7);
        }
    }

    [Fact]
    public async Task Two_posts_at_once_write_the_variances_once()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA");
        var batch = await _shop.BatchAsync(outlet, para, 10, _shop.Today.AddDays(20), lot: "P1");
        int takeId;
        await using (var db = _database.Open())
        {
            takeId = await Takes(db).OpenStockTakeAsync(new OpenStockTake(outlet.Id, "par", Blind: false), "manager");
            await Takes(db).RecordCountAsync(takeId, "PARA", "P1", 6);
        }

        var attempts = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var db = _database.Open();
            try { await Takes(db).PostStockTakeAsync(takeId, "manager"); return true; }
            catch (ValidationFailedException) { return false; }
        }).ToList();
        var results = await Task.WhenAll(attempts);

        results.Count(r => r).ShouldBe(1);
        await using var check = _database.Open();
        (await check.Batches.SingleAsync(b => b.Id == batch.Id)).OnHand.ShouldBe(6);
        (await check.Movements.CountAsync(m => m.Kind == MovementKind.StockTake)).ShouldBe(1);
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public async Task A_filtered_take_snapshots_only_matching_products_and_never_posts_below_zero()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA-500");
        var ibu = await _shop.ProductAsync("IBU-200");
        var batch = await _shop.BatchAsync(outlet, para, 5, _shop.Today.AddDays(20), lot: "P1");
        await _shop.BatchAsync(outlet, ibu, 5, _shop.Today.AddDays(20), lot: "I1");
        await using var db = _database.Open();
        var takes = Takes(db);
        var takeId = await takes.OpenStockTakeAsync(new OpenStockTake(outlet.Id, "PARA", Blind: false), "manager");
        (await takes.LinesAsync(takeId)).ShouldHaveSingleItem().Sku.ShouldBe("PARA-500");

        await takes.RecordCountAsync(takeId, "PARA-500", "P1", 0);
        // Meanwhile 3 were sold: the batch holds 2, and the count of 0 (relative to the snapshot's 5) would take 5.
        _clock.Now = _clock.Now.AddMinutes(1);
        await new InventoryService(db, _clock, _notifier).AdjustAsync(batch.Id, -3, AdjustmentReason.Correction, null, "manager");
        var refused = await Should.ThrowAsync<ValidationFailedException>(() => takes.PostStockTakeAsync(takeId, "manager"));
        refused.Errors["lines"].ShouldHaveSingleItem().ShouldContain("holds 2 now");
        (await db.StockTakes.AsNoTracking().SingleAsync(t => t.Id == takeId)).Status.ShouldBe(StockTakeStatus.Open);

        await takes.CancelAsync(takeId, "manager");
        (await db.StockTakes.AsNoTracking().SingleAsync(t => t.Id == takeId)).Status.ShouldBe(StockTakeStatus.Cancelled);
        await Should.ThrowAsync<ValidationFailedException>(() => takes.PostStockTakeAsync(takeId, "manager"));
        await Invariants.AssertLedgerAsync(db);
    }
}
