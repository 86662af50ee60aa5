using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.StockTakes;

public sealed class StockTakeTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public StockTakeTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private StockTakeService Takes(BackOfficeDb db) => new(db, _clock, _notifier);

    /// <summary>The shop every behaviour below counts: an outlet with two lots of para, two of ibuprofen and an undated gauze; another outlet with para.</summary>
    private sealed record Counted(int OutletId, int TakeId, Batch ParaEarly, Batch ParaLate, Batch IbuA, Batch IbuB, Batch Gauze);

    private async Task<Counted> OpenAsync(CommandCounter? counter = null)
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
        int takeId;
        await using (var db = counter is null ? _database.Open() : _database.Open(counter))
            takeId = await Takes(db).OpenStockTakeAsync(new OpenStockTake(outlet.Id, null, Blind: true), "manager");
        return new Counted(outlet.Id, takeId, paraEarly, paraLate, ibuA, ibuB, gauzeBatch);
    }

    /// <summary>Para per lot (early 9 of 10, late 8 of 8), ibuprofen without a lot (9 of 12), gauze 6 of 4.</summary>
    private async Task CountAsync(Counted take)
    {
        await using var db = _database.Open();
        var takes = Takes(db);
        await takes.RecordCountAsync(take.TakeId, "PARA", "P1", 9);
        await takes.RecordCountAsync(take.TakeId, "PARA", "P2", 8);
        await takes.RecordCountAsync(take.TakeId, "IBU", null, 9);
        await takes.RecordCountAsync(take.TakeId, "GAUZE", "G1", 6);
    }

    [Fact]
    public async Task Opening_snapshots_one_line_per_batch_holding_stock_at_the_outlet_in_four_commands()
    {
        var counter = new CommandCounter();
        var take = await OpenAsync(counter);

        counter.Count.ShouldBeLessThanOrEqualTo(4, "begin, outlet check, the take, one INSERT … SELECT of the lines");
        await using var db = _database.Open();
        var lines = await Takes(db).LinesAsync(take.TakeId);
        lines.Count.ShouldBe(5, "the other outlet's para is not in this take");
        lines.Single(l => l.BatchId == take.ParaEarly.Id).Expected.ShouldBe(10);
        lines.ShouldAllBe(l => l.Counted == null);
        (await db.StockTakes.SingleAsync(t => t.Id == take.TakeId)).Blind.ShouldBeTrue();
    }

    [Fact]
    public async Task A_scanned_GS1_pack_is_counted_as_its_product_and_lot()
    {
        var take = await OpenAsync();
        await using var db = _database.Open();
        var para = await db.Products.SingleAsync(p => p.Sku == "PARA");
        await _shop.BarcodeAsync(para, "5012345678900");
        var takes = Takes(db);

        // As a wedge scanner sends a DataMatrix: GS after the variable-length lot.
        var lineId = await takes.RecordCountAsync(take.TakeId, "]d2" + "0105012345678900" + "10P2\u001d" + "17270331", null, 7);
        var line = (await takes.LinesAsync(take.TakeId)).Single(l => l.Id == lineId);
        (line.BatchId, line.Counted).ShouldBe((take.ParaLate.Id, 7));

        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "(01)05012345678900(10)P1", "P9", 1)))
            .Errors["lotNumber"].ShouldHaveSingleItem().ShouldContain("The pack says lot P1");
        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "(01)05012345678901(10)P1", null, 1)))
            .Errors.ShouldContainKey("code");
        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "(01)00036000291452(10)P1", null, 1)))
            .Errors["code"].ShouldHaveSingleItem().ShouldBe("No product has the barcode 00036000291452.");
        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "(17)270331(10)P1", null, 1)))
            .Errors["code"].ShouldHaveSingleItem().ShouldContain("no product number (GTIN, field 01)");
    }

    [Fact]
    public async Task Counts_are_taken_per_lot_or_per_product_once_each_and_an_unknown_code_is_refused()
    {
        var take = await OpenAsync();
        await CountAsync(take);

        await using var db = _database.Open();
        var takes = Takes(db);
        // A second no-lot count for the same product is refused by the database's unique index, with a clear message.
        var twice = await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "IBU", null, 4));
        twice.Errors["code"].ShouldHaveSingleItem().ShouldContain("already counted without a lot");
        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "PARA", "P1", 3)))
            .Errors["lotNumber"].ShouldHaveSingleItem().ShouldContain("already counted");
        (await Should.ThrowAsync<ValidationFailedException>(() => takes.RecordCountAsync(take.TakeId, "NOPE", null, 1)))
            .Errors.ShouldContainKey("code");
        var lines = await takes.LinesAsync(take.TakeId);
        lines.Single(l => l.BatchId == take.ParaEarly.Id).Counted.ShouldBe(9);
        lines.Single(l => l.Sku == "GAUZE").Counted.ShouldBe(6);
    }

    [Fact]
    public async Task Variances_over_the_threshold_are_flagged_for_a_recount_and_a_corrected_count_clears_the_flag()
    {
        var take = await OpenAsync();
        await using var db = _database.Open();
        var takes = Takes(db);
        await takes.RecordCountAsync(take.TakeId, "IBU", null, 9);
        await takes.RecordCountAsync(take.TakeId, "GAUZE", "G1", 10);

        (await takes.FlagRecountsAsync(take.TakeId, 2)).ShouldBe(2, "ibuprofen -3 and gauze +6 are over 2 units");
        var lines = await takes.LinesAsync(take.TakeId);
        lines.Where(l => l.NeedsRecount).Select(l => l.Sku).ShouldBe(["GAUZE", "IBU"], ignoreOrder: true);
        await takes.CorrectCountAsync(lines.Single(l => l.Sku == "GAUZE").Id, 6);
        (await takes.LinesAsync(take.TakeId)).Single(l => l.Sku == "GAUZE").ShouldSatisfyAllConditions(
            l => l.Counted.ShouldBe(6), l => l.NeedsRecount.ShouldBeFalse());
    }

    [Fact]
    public async Task Stock_moving_during_the_count_is_detected_and_refreshing_takes_a_new_snapshot_keeping_the_counts()
    {
        var take = await OpenAsync();
        await CountAsync(take);
        _clock.Now = _clock.Now.AddMinutes(5);

        await using var db = _database.Open();
        (await Takes(db).MovedSinceSnapshotAsync(take.TakeId)).ShouldBeEmpty();
        await new InventoryService(db, _clock, _notifier).AdjustAsync(take.ParaLate.Id, -1, AdjustmentReason.Damage, null, "manager");
        var moved = await Takes(db).MovedSinceSnapshotAsync(take.TakeId);
        moved.ShouldHaveSingleItem().ShouldSatisfyAllConditions(m => m.Sku.ShouldBe("PARA"), m => m.NetQuantity.ShouldBe(-1));
        // The late lot now holds 7 but was counted 8 before the damage: refresh takes the new snapshot, the count is kept.
        await Takes(db).RefreshExpectedAsync(take.TakeId);
        (await Takes(db).MovedSinceSnapshotAsync(take.TakeId)).ShouldBeEmpty();
        (await Takes(db).LinesAsync(take.TakeId)).Single(l => l.BatchId == take.ParaLate.Id).ShouldSatisfyAllConditions(
            l => l.Expected.ShouldBe(7), l => l.Counted.ShouldBe(8));
    }

    [Fact]
    public async Task Posting_writes_the_reviewed_plan_once_taking_a_products_shortfall_from_its_earliest_lot()
    {
        var take = await OpenAsync();
        await CountAsync(take);

        IReadOnlyList<StockTakeVariance> plan;
        await using (var db = _database.Open())
            plan = await Takes(db).PlanAsync(take.TakeId);
        plan.Select(p => (p.BatchId, p.Change)).ShouldBe([(take.Gauze.Id, 2), (take.IbuA.Id, -3), (take.ParaEarly.Id, -1)], ignoreOrder: true);
        plan.Single(p => p.BatchId == take.ParaEarly.Id).Value.ShouldBe(-1.5m);

        await using (var db = _database.Open())
        {
            (await Takes(db).PostStockTakeAsync(take.TakeId, "manager")).Count.ShouldBe(3);
            // What the posted take's page shows afterwards: the changes it wrote, read back from the ledger.
            (await Takes(db).PostedVariancesAsync(take.TakeId)).Select(v => (v.BatchId, v.Change)).ShouldBe(
                [(take.Gauze.Id, 2), (take.IbuA.Id, -3), (take.ParaEarly.Id, -1)], ignoreOrder: true);
            var again = await Should.ThrowAsync<ValidationFailedException>(() => Takes(db).PostStockTakeAsync(take.TakeId, "manager"));
            again.Errors["status"].ShouldHaveSingleItem().ShouldContain("already posted");
            (await Should.ThrowAsync<ValidationFailedException>(() => Takes(db).RecordCountAsync(take.TakeId, "PARA", null, 1)))
                .Errors.ShouldContainKey("status");
        }

        await using (var db = _database.Open())
        {
            var onHand = await db.Batches.Where(b => b.OutletId == take.OutletId).ToDictionaryAsync(b => b.Id, b => b.OnHand);
            onHand[take.ParaEarly.Id].ShouldBe(9);
            onHand[take.ParaLate.Id].ShouldBe(8);
            onHand[take.IbuA.Id].ShouldBe(2, "the missing ibuprofen came out of the earliest-expiring lot first");
            onHand[take.IbuB.Id].ShouldBe(7);
            onHand[take.Gauze.Id].ShouldBe(6);
            var movements = await db.Movements.Where(m => m.Kind == MovementKind.StockTake).ToListAsync();
            movements.Count.ShouldBe(3);
            movements.ShouldAllBe(m => m.Reference == MovementReference.StockTake(take.TakeId).ToString() && m.UserName == "manager");
            movements.Sum(m => m.Quantity).ShouldBe(-2);
            var posted = await db.StockTakes.SingleAsync(t => t.Id == take.TakeId);
            posted.Status.ShouldBe(StockTakeStatus.Posted);
            posted.PostedBy.ShouldBe("manager");
            await Invariants.AssertLedgerAsync(db);
        }
        _notifier.Notifications.Last().Select(n => n.Sku).ShouldBe(["GAUZE", "IBU", "PARA"], ignoreOrder: true);
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
