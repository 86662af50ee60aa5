using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

public sealed class InventoryOperationsTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public InventoryOperationsTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private InventoryService Inventory(BackOffice.Core.Data.BackOfficeDb db) => new(db, _clock, _notifier);

    [Fact]
    public async Task Receiving_adds_new_batches_or_tops_up_the_same_lot_and_expiry()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA-500-16");
        await using var db = _database.Open();
        var expiry = _shop.Today.AddDays(300);

        var first = await Inventory(db).ReceiveAsync(new ReceiveGoods(outlet.Code, "PO-1", [new ReceiveLine("PARA-500-16", "L1", expiry, 10, 1.00m)]), "manager");
        var second = await Inventory(db).ReceiveAsync(new ReceiveGoods(outlet.Code, "PO-2",
            [new ReceiveLine("PARA-500-16", "L1", expiry, 10, 2.00m), new ReceiveLine("PARA-500-16", "L2", expiry, 5, 1.00m)]), "manager");

        second.Batches[0].BatchId.ShouldBe(first.Batches[0].BatchId);
        second.Batches[1].BatchId.ShouldNotBe(first.Batches[0].BatchId);
        var l1 = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == first.Batches[0].BatchId);
        l1.OnHand.ShouldBe(20);
        l1.UnitCost.ShouldBe(1.50m);
        (await db.Receipts.CountAsync()).ShouldBe(2);
        await Invariants.AssertLedgerAsync(db);
        _notifier.Notifications.Last().ShouldHaveSingleItem().Available.ShouldBe(25);
    }

    [Fact]
    public async Task Receiving_refuses_past_expiry_missing_expiry_unknown_sku_and_outlet_all_or_nothing()
    {
        var outlet = await _shop.OutletAsync();
        await _shop.ProductAsync("PARA-500-16");
        await _shop.ProductAsync("THERMO", tracksExpiry: false);
        await using var db = _database.Open();

        var error = await Should.ThrowAsync<ValidationFailedException>(() => Inventory(db).ReceiveAsync(new ReceiveGoods(outlet.Code, null,
        [
            new ReceiveLine("THERMO", null, null, 3, 10m),
            new ReceiveLine("PARA-500-16", "L1", _shop.Today.AddDays(-1), 10, 1m),
            new ReceiveLine("PARA-500-16", "L2", null, 10, 1m),
            new ReceiveLine("NOPE", "L3", _shop.Today.AddDays(10), 10, 1m),
            new ReceiveLine("PARA-500-16", "L4", _shop.Today.AddDays(10), 0, -1m),
        ]), "manager"));

        error.Errors.Keys.ShouldBe(["lines[4].quantity", "lines[4].unitCost", "lines[1].expiryDate", "lines[2].expiryDate", "lines[3].sku"], ignoreOrder: true);
        (await db.Batches.CountAsync()).ShouldBe(0);
        (await db.Movements.CountAsync()).ShouldBe(0);

        var unknownOutlet = await Should.ThrowAsync<ValidationFailedException>(() =>
            Inventory(db).ReceiveAsync(new ReceiveGoods("NOWHERE", null, [new ReceiveLine("THERMO", null, null, 1, 1m)]), "manager"));
        unknownOutlet.Errors.Keys.ShouldContain("outletCode");
    }

    [Fact]
    public async Task An_adjustment_writes_its_movement_and_never_takes_a_batch_below_zero()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("IBU-200-24");
        var batch = await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(100));
        await using var db = _database.Open();

        await Inventory(db).AdjustAsync(batch.Id, -2, AdjustmentReason.Damage, "Crushed box", "manager");
        var error = await Should.ThrowAsync<ValidationFailedException>(() => Inventory(db).AdjustAsync(batch.Id, -4, AdjustmentReason.Theft, null, "manager"));

        error.Errors.Keys.ShouldContain("quantity");
        (await db.Batches.AsNoTracking().SingleAsync()).OnHand.ShouldBe(3);
        var movement = await db.Movements.AsNoTracking().SingleAsync(m => m.Kind == MovementKind.Adjustment);
        movement.ShouldSatisfyAllConditions(m => m.Quantity.ShouldBe(-2), m => m.Reference.ShouldBe("adjustment:damage"), m => m.Note.ShouldBe("Crushed box"));
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task A_transfer_moves_sellable_stock_fefo_keeping_lot_and_expiry()
    {
        var from = await _shop.OutletAsync("WH");
        var to = await _shop.OutletAsync("SHOP");
        var product = await _shop.ProductAsync("OME-20MG-28");
        var expired = await _shop.BatchAsync(from, product, 10, _shop.Today.AddDays(-3), "OLD");
        var soon = await _shop.BatchAsync(from, product, 4, _shop.Today.AddDays(20), "SOON");
        var later = await _shop.BatchAsync(from, product, 10, _shop.Today.AddDays(200), "LATER");
        await using var db = _database.Open();

        var preview = await Inventory(db).PreviewTransferAsync(new TransferGoods("WH", "SHOP", [new TransferLine("OME-20MG-28", 6)]));
        preview.Select(p => (p.FromBatchId, p.Quantity)).ShouldBe([(soon.Id, 4), (later.Id, 2)]);
        (await db.Movements.CountAsync()).ShouldBe(3, "a preview writes nothing");

        var result = await Inventory(db).TransferAsync(new TransferGoods("WH", "SHOP", [new TransferLine("OME-20MG-28", 6)]), "manager");

        var arrived = await db.Batches.AsNoTracking().Where(b => b.OutletId == to.Id).OrderBy(b => b.ExpiryDate).ToListAsync();
        arrived.Select(b => (b.LotNumber, b.ExpiryDate, b.OnHand)).ShouldBe([("SOON", soon.ExpiryDate, 4), ("LATER", later.ExpiryDate, 2)]);
        (await db.Batches.AsNoTracking().SingleAsync(b => b.Id == expired.Id)).OnHand.ShouldBe(10);
        result.Batches.Count.ShouldBe(2);
        await Invariants.AssertLedgerAsync(db);

        var tooMuch = await Should.ThrowAsync<ValidationFailedException>(() =>
            Inventory(db).TransferAsync(new TransferGoods("WH", "SHOP", [new TransferLine("OME-20MG-28", 9)]), "manager"));
        tooMuch.Errors.Keys.ShouldContain("lines[0].quantity");
    }
}
