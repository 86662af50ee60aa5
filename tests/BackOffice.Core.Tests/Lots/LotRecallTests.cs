using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Lots;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Lots;

/// <summary>Recall, quarantine, release and the trace (design.md invariant 9; api.md "Lot status and recall").</summary>
public sealed class LotRecallTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public LotRecallTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private LotRecalls Recalls(BackOfficeDb db) => new(db, _clock, _notifier);

    private SaleRecorder Recorder(BackOfficeDb db) => new(db, _clock, _notifier);

    private static SaleRequest Scanned(string sku, int quantity, string? lot) =>
        new(Guid.NewGuid(), Shop.SoldAt, [new SaleLineRequest(sku, quantity, 2.50m, lot)], [new PaymentRequest("cash", quantity * 2.50m)]);

    [Fact]
    public async Task A_recalled_lot_leaves_available_FEFO_and_the_stock_figures_at_every_outlet_but_stays_on_hand()
    {
        var london = await _shop.OutletAsync("LDN");
        var paris = await _shop.OutletAsync("PAR", "Europe/Paris");
        var product = await _shop.ProductAsync("PARA-500-16");
        var early = await _shop.BatchAsync(london, product, 30, _shop.Today.AddDays(20), "L2391");
        var later = await _shop.BatchAsync(london, product, 10, _shop.Today.AddDays(200), "L2400");
        var inParis = await _shop.BatchAsync(paris, product, 7, _shop.Today.AddDays(20), "L2391");

        await using var db = _database.Open();
        var trace = await Recalls(db).RecallAsync("PARA-500-16", "L2391", "Manufacturer notice MHRA-2026-114", "manager@shop");

        trace.Status.ShouldBe("recalled");
        trace.OnHand.ShouldBe(37);
        trace.Received.ShouldBe(37);
        trace.Outlets.Select(o => (o.OutletCode, o.OnHand)).ShouldBe([("LDN", 30), ("PAR", 7)]);
        (await db.AvailableAsync(london.Id, product.Id, _shop.Today)).ShouldBe(10, "only the other lot is sellable");
        (await db.AvailableAsync(paris.Id, product.Id, _shop.Today)).ShouldBe(0);
        var stock = await db.StockAt(london.Id, _shop.Today, db.Products.Where(p => p.Id == product.Id)).SingleAsync();
        (stock.OnHand, stock.Available, stock.Quarantined, stock.Expired).ShouldBe((40, 10, 30, 0), "on hand = available + expired + quarantined");

        // Every outlet holding the lot is told, in one notification, what it can now sell.
        _notifier.Notifications.ShouldHaveSingleItem().Select(l => (l.OutletCode, l.Available)).OrderBy(l => l.OutletCode)
            .ShouldBe([("LDN", 10), ("PAR", 0)]);
        // And their tills fetch the catalog, whose recalled lots changed: each outlet once.
        _notifier.CatalogChanges.ShouldHaveSingleItem().Order().ShouldBe(["LDN", "PAR"]);

        // FEFO skips the quarantined lot although it expires first.
        var sale = await Recorder(db).RecordSaleAsync(Shop.Sale(("PARA-500-16", 4)), new Counter(london.Id));
        sale.Sale.Lines[0].Allocations.ShouldHaveSingleItem().BatchId.ShouldBe(later.Id);
        (await db.Batches.AsNoTracking().SingleAsync(b => b.Id == early.Id)).OnHand.ShouldBe(30);
        (await db.Batches.AsNoTracking().SingleAsync(b => b.Id == inParis.Id)).ShouldSatisfyAllConditions(b => b.OnHand.ShouldBe(7), b => b.Quarantined.ShouldBeTrue());

        // The recall is in the ledger: a line of no units on each batch, with the reason and who did it.
        var ledger = await db.Movements.AsNoTracking().Where(m => m.Kind == MovementKind.Recall).ToListAsync();
        ledger.Select(m => m.BatchId).Order().ShouldBe(new[] { early.Id, inParis.Id }.Order());
        ledger.ShouldAllBe(m => m.Quantity == 0 && m.Note == "Manufacturer notice MHRA-2026-114" && m.UserName == "manager@shop");
        await Invariants.AssertLedgerAsync(db);
        await LotInvariants.AssertAsync(db, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Recalled_packs_are_on_the_disposal_list_and_returned_to_the_supplier_from_it()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("OMEP-20-28");
        var recalled = await _shop.BatchAsync(outlet, product, 6, _shop.Today.AddDays(100), "RC-1");
        await _shop.BatchAsync(outlet, product, 4, _shop.Today.AddDays(100), "OK-1");
        await using var db = _database.Open();
        var disposals = new DisposalService(db, _clock, _notifier);
        (await disposals.ListAsync("SHOP-1", take: 10)).Rows.ShouldBeEmpty();

        await Recalls(db).RecallAsync("OMEP-20-28", "RC-1", "Notice 9", "anna");
        var line = (await disposals.ListAsync("SHOP-1", take: 10)).Rows.ShouldHaveSingleItem();
        (line.BatchId, line.Quantity, line.Reason).ShouldBe((recalled.Id, 6, DisposalReason.Recalled));

        await disposals.DisposeAsync(new DisposeGoods("SHOP-1", [new DisposeLine(recalled.Id)], DisposalOutcome.ReturnedToSupplier, "RMA-551"), "anna");
        (await disposals.ListAsync("SHOP-1", take: 10)).Rows.ShouldBeEmpty();
        var trace = (await Recalls(db).TraceAsync("OMEP-20-28", "RC-1"))!;
        (trace.OnHand, trace.Disposed, trace.Status).ShouldBe((0, 6, "recalled"));
        (await db.AvailableAsync(outlet.Id, product.Id, _shop.Today)).ShouldBe(4);
        await Invariants.AssertLedgerAsync(db);
        await LotInvariants.AssertAsync(db, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Recalling_twice_changes_nothing_and_answers_the_same_and_release_makes_the_lot_sellable_again()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("IBU-200-24");
        await _shop.BatchAsync(outlet, product, 12, _shop.Today.AddDays(60), "B-77");

        await using var db = _database.Open();
        var first = await Recalls(db).RecallAsync("IBU-200-24", "B-77", "Contamination", "anna");
        var movements = await db.Movements.CountAsync();
        _clock.Now = _clock.Now.AddMinutes(5);
        var again = await Recalls(db).RecallAsync("IBU-200-24", " B-77 ", "Second notice", "bob");

        (await db.Movements.CountAsync()).ShouldBe(movements, "a second recall writes nothing");
        again.ShouldBeEquivalentTo(first);
        again.Reason.ShouldBe("Contamination");
        _notifier.Notifications.Count.ShouldBe(1);
        _notifier.CatalogChanges.Count.ShouldBe(1, "nothing changed for the tills");

        var released = await Recalls(db).ReleaseAsync("IBU-200-24", "B-77", "Cleared by the manufacturer", "anna");
        released.Status.ShouldBe("active");
        (await db.AvailableAsync(outlet.Id, product.Id, _shop.Today)).ShouldBe(12);
        (await db.Movements.CountAsync(m => m.Kind == MovementKind.Release)).ShouldBe(1);
        _notifier.Notifications.Last().ShouldHaveSingleItem().Available.ShouldBe(12);
        _notifier.CatalogChanges.Last().ShouldBe([outlet.Code]);
        await LotInvariants.AssertAsync(db, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_recall_needs_a_reason_and_a_lot_that_was_received()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("CET-10MG-30");
        await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(60), "C1");

        await using var db = _database.Open();
        var noReason = await Should.ThrowAsync<ValidationFailedException>(() => Recalls(db).RecallAsync("CET-10MG-30", "C1", "  ", "anna"));
        noReason.Errors.Keys.ShouldBe(["reason"]);
        await Should.ThrowAsync<LotNotFoundException>(() => Recalls(db).RecallAsync("CET-10MG-30", "NEVER", "Notice", "anna"));
        await Should.ThrowAsync<LotNotFoundException>(() => Recalls(db).RecallAsync("NO-SUCH-SKU", "C1", "Notice", "anna"));
        (await db.Lots.CountAsync()).ShouldBe(0);
        (await db.Batches.CountAsync(b => b.Quarantined)).ShouldBe(0);
        (await Recalls(db).TraceAsync("CET-10MG-30", "NEVER")).ShouldBeNull();
    }

    [Fact]
    public async Task A_delivery_of_a_recalled_lot_is_received_into_quarantine()
    {
        var outlet = await _shop.OutletAsync();
        var other = await _shop.OutletAsync("SHOP-2");
        var product = await _shop.ProductAsync("AMOX-500MG-21");
        await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(60), "A-1");
        await using var db = _database.Open();
        await Recalls(db).RecallAsync("AMOX-500MG-21", "A-1", "Notice 12", "anna");

        var receipt = await new InventoryService(db, _clock, _notifier).ReceiveAsync(new ReceiveGoods("SHOP-2", "DN-1",
            [new ReceiveLine("AMOX-500MG-21", "A-1", _shop.Today.AddDays(60), 6, 1.2m), new ReceiveLine("AMOX-500MG-21", "A-2", _shop.Today.AddDays(90), 4, 1.2m)]), "bob");

        var batches = await db.Batches.AsNoTracking().Where(b => b.OutletId == other.Id).ToDictionaryAsync(b => b.LotNumber!, b => b.Quarantined);
        batches.ShouldBe(new Dictionary<string, bool> { ["A-1"] = true, ["A-2"] = false });
        (await db.AvailableAsync(other.Id, product.Id, _shop.Today)).ShouldBe(4);
        receipt.Batches.Count.ShouldBe(2);
        await LotInvariants.AssertAsync(db, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_scanned_lot_is_taken_first_and_a_recalled_or_expired_one_sold_anyway_raises_a_discrepancy()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("LOR-10MG-30");
        var fefoFirst = await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(10), "FIRST");
        var scanned = await _shop.BatchAsync(outlet, product, 2, _shop.Today.AddDays(300), "LATE-LOT");
        var recalled = await _shop.BatchAsync(outlet, product, 3, _shop.Today.AddDays(50), "RECALLED");
        var expired = await _shop.BatchAsync(outlet, product, 3, _shop.Today.AddDays(-2), "EXPIRED");
        await using var db = _database.Open();
        await Recalls(db).RecallAsync("LOR-10MG-30", "RECALLED", "Notice", "anna");

        // The scanned lot first (its own expiry is late), the rest FEFO.
        var first = await Recorder(db).RecordSaleAsync(Scanned("LOR-10MG-30", 3, "LATE-LOT"), new Counter(outlet.Id));
        first.Sale.Lines[0].Allocations.Select(a => (a.BatchId, a.Quantity)).ShouldBe([(scanned.Id, 2), (fefoFirst.Id, 1)]);
        // An unknown lot: FEFO, as without one.
        var unknown = await Recorder(db).RecordSaleAsync(Scanned("LOR-10MG-30", 1, "NOT-HERE"), new Counter(outlet.Id));
        unknown.Sale.Lines[0].Allocations.ShouldHaveSingleItem().BatchId.ShouldBe(fefoFirst.Id);
        (await db.Discrepancies.CountAsync()).ShouldBe(0);

        // Packs of a recalled and of an expired lot that still left the shop: taken from their own lot, and managers told.
        var fromRecalled = await Recorder(db).RecordSaleAsync(Scanned("LOR-10MG-30", 1, "RECALLED"), new Counter(outlet.Id));
        var fromExpired = await Recorder(db).RecordSaleAsync(Scanned("LOR-10MG-30", 2, "EXPIRED"), new Counter(outlet.Id));
        fromRecalled.Sale.Lines[0].Allocations.ShouldHaveSingleItem().BatchId.ShouldBe(recalled.Id);
        fromExpired.Sale.Lines[0].Allocations.ShouldHaveSingleItem().ShouldSatisfyAllConditions(a => a.BatchId.ShouldBe(expired.Id), a => a.Quantity.ShouldBe(2));
        var discrepancies = await db.Discrepancies.AsNoTracking().OrderBy(d => d.Id).Select(d => new { d.Kind, d.Quantity, d.Reference }).ToListAsync();
        discrepancies.Select(d => (d.Kind, d.Quantity)).ShouldBe([(DiscrepancyKind.RecalledLotSold, 1), (DiscrepancyKind.ExpiredLotSold, 2)]);
        discrepancies[0].Reference.ShouldBe(MovementReference.Sale(fromRecalled.Sale.SaleId).ToString());

        // What the till is told it can sell never counts the recalled or expired lot.
        _notifier.Notifications.Last().ShouldHaveSingleItem().Available.ShouldBe(8);
        (await db.AvailableAsync(outlet.Id, product.Id, _shop.Today)).ShouldBe(8);
        await Invariants.AssertLedgerAsync(db);
        await LotInvariants.AssertAsync(db, _clock.GetUtcNow());
    }

    [Fact]
    public async Task Batches_without_a_lot_number_are_sold_FEFO_with_or_without_a_scanned_lot()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PLASTERS-20", tracksExpiry: false);
        await using (var seed = _database.Open())
        {
            var batch = await _shop.BatchAsync(outlet, product, 6, null);
            await seed.Batches.Where(b => b.Id == batch.Id).ExecuteUpdateAsync(u => u.SetProperty(b => b.LotNumber, (string?)null));
        }
        await using var db = _database.Open();
        (await Recorder(db).RecordSaleAsync(Scanned("PLASTERS-20", 2, null), new Counter(outlet.Id))).Sale.Lines[0].Shortfall.ShouldBe(0);
        (await Recorder(db).RecordSaleAsync(Scanned("PLASTERS-20", 2, "SOME-LOT"), new Counter(outlet.Id))).Sale.Lines[0].Shortfall.ShouldBe(0);
    }

    [Fact]
    public async Task A_scanned_lot_is_part_of_the_sale_so_its_replay_must_carry_the_same_lot()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("ASP-75MG-28");
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(30), "X1");
        await using var db = _database.Open();
        var sale = Scanned("ASP-75MG-28", 1, "X1");
        await Recorder(db).RecordSaleAsync(sale, new Counter(outlet.Id));

        (await Recorder(db).RecordSaleAsync(sale, new Counter(outlet.Id))).Created.ShouldBeFalse();
        await Should.ThrowAsync<IdempotencyConflictException>(() => Recorder(db).RecordSaleAsync(sale with
        {
            Lines = [sale.Lines[0] with { LotNumber = "X2" }],
        }, new Counter(outlet.Id)));
        // A sale without a lot hashes as before the field existed: replays of sales queued by older tills still match.
        SaleRecorder.ContentHash(sale with { Lines = [sale.Lines[0] with { LotNumber = null }] })
            .ShouldBe(SaleRecorder.ContentHash(sale with { Lines = [new SaleLineRequest("ASP-75MG-28", 1, 2.50m)] }));
        SaleRecorder.ContentHash(sale).ShouldNotBe(SaleRecorder.ContentHash(sale with { Lines = [sale.Lines[0] with { LotNumber = null }] }));
    }

    [Fact]
    public async Task The_trace_lists_every_sale_of_the_lot_with_outlet_till_and_time_and_sums_each_outlets_ledger()
    {
        var london = await _shop.OutletAsync("LDN");
        var leeds = await _shop.OutletAsync("LDS");
        var product = await _shop.ProductAsync("ZINC-15MG-60");
        await _shop.BatchAsync(london, product, 20, _shop.Today.AddDays(90), "Z-9");
        await _shop.BatchAsync(london, product, 50, _shop.Today.AddDays(400), "OTHER");
        await using var db = _database.Open();
        var till = new BackOffice.Core.Tills.Till { OutletId = london.Id, Name = "Counter 2", TokenHash = "x", CreatedAt = _clock.Now.UtcDateTime };
        db.Tills.Add(till);
        await db.SaveChangesAsync();

        var sales = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var request = Scanned("ZINC-15MG-60", i + 1, null) with { OccurredAt = Shop.SoldAt.AddHours(i).ToOffset(TimeSpan.FromHours(1)) };
            sales.Add((await Recorder(db).RecordSaleAsync(request, new Counter(london.Id, till.Id))).Sale.SaleId);
        }
        await Recorder(db).RecordSaleAsync(Scanned("ZINC-15MG-60", 5, "OTHER"), new Counter(london.Id));
        await new InventoryService(db, _clock, _notifier).TransferAsync(new TransferGoods("LDN", "LDS", [new TransferLine("ZINC-15MG-60", 4)]), "anna");
        await new ReturnRecorder(db, _clock, _notifier).RecordReturnAsync(
            new ReturnRequest(Guid.NewGuid(), sales[2], _clock.Now.AddMinutes(-1), [new ReturnLineRequest("ZINC-15MG-60", 1)]), new Counter(london.Id, till.Id));

        var trace = (await Recalls(db).TraceAsync("ZINC-15MG-60", "Z-9"))!;
        trace.ShouldSatisfyAllConditions(
            t => t.Received.ShouldBe(20),
            t => t.Sold.ShouldBe(6),
            t => t.Returned.ShouldBe(1),
            t => t.OnHand.ShouldBe(15),
            t => t.SalesTotal.ShouldBe(3),
            t => t.Status.ShouldBe("active"));
        trace.Sales.Select(s => (s.SaleId, s.Quantity, s.OutletCode, s.TillName)).ShouldBe(
            [(sales[2], 3, "LDN", "Counter 2"), (sales[1], 2, "LDN", "Counter 2"), (sales[0], 1, "LDN", "Counter 2")], "newest first");
        trace.Sales[0].OccurredAt.ShouldBe(Shop.SoldAt.AddHours(2));
        trace.Sales[0].OccurredAt.Offset.ShouldBe(TimeSpan.FromHours(1), "in the till's own offset");
        trace.Outlets.Select(o => (o.OutletCode, o.OnHand, o.Received, o.Sold, o.Returned, o.TransferredIn, o.TransferredOut)).ShouldBe(
            [("LDN", 11, 20, 6, 1, 0, 4), ("LDS", 4, 0, 0, 0, 4, 0)]);
        trace.Outlets.ShouldAllBe(o => o.OnHand == o.Received - o.Sold + o.Returned + o.TransferredIn - o.TransferredOut - o.Disposed + o.Other);
    }

    [Fact]
    public async Task Recall_and_trace_cost_the_same_commands_for_1_and_40_batches_and_sales()
    {
        var counts = new List<(int Recall, int Trace)>();
        foreach (var size in new[] { 1, 40 })
        {
            var product = await _shop.ProductAsync($"SKU-{size}");
            for (var i = 0; i < size; i++)
            {
                var outlet = await _shop.OutletAsync($"O{size}-{i}");
                await _shop.BatchAsync(outlet, product, 3, _shop.Today.AddDays(30), "LOT");
                await using var sell = _database.Open();
                await Recorder(sell).RecordSaleAsync(Scanned($"SKU-{size}", 1, "LOT"), new Counter(outlet.Id));
            }
            var recall = new CommandCounter();
            await using (var db = _database.Open(recall))
                (await Recalls(db).RecallAsync($"SKU-{size}", "LOT", "Notice", "anna")).Sales.Count.ShouldBe(size);
            var trace = new CommandCounter();
            await using (var db = _database.Open(trace))
                (await Recalls(db).TraceAsync($"SKU-{size}", "LOT"))!.Outlets.Count.ShouldBe(size);
            counts.Add((recall.Count, trace.Count));
        }
        counts[1].ShouldBe(counts[0], $"recall/trace commands at 1 and 40: {string.Join(" ", counts)}");
    }

    [Fact]
    public async Task Sales_racing_a_recall_never_sell_the_lot_after_it_committed()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA");
        var lot = await _shop.BatchAsync(outlet, product, 200, _shop.Today.AddDays(20), "R-1");
        await _shop.BatchAsync(outlet, product, 200, _shop.Today.AddDays(90), "SAFE");
        DateTime? recalledAt = null;

        var sellers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await using var db = _database.Open();
                await Recorder(db).RecordSaleAsync(Shop.Sale(("PARA", 1)), new Counter(outlet.Id));
            }
        })).ToList();
        var recaller = Task.Run(async () =>
        {
            await Task.Delay(50);
            await using var db = _database.Open();
            await Recalls(db).RecallAsync("PARA", "R-1", "Notice", "anna");
            recalledAt = await db.Movements.Where(m => m.Kind == MovementKind.Recall).Select(m => (DateTime?)m.CreatedAt).SingleAsync();
        });
        await Task.WhenAll([.. sellers, recaller]);

        await using var check = _database.Open();
        var recallId = await check.Movements.Where(m => m.Kind == MovementKind.Recall).Select(m => m.Id).SingleAsync();
        (await check.Movements.CountAsync(m => m.BatchId == lot.Id && m.Kind == MovementKind.Sale && m.Id > recallId))
            .ShouldBe(0, "no sale committed after the recall took from the recalled lot");
        (await check.Batches.AsNoTracking().SingleAsync(b => b.Id == lot.Id)).Quarantined.ShouldBeTrue();
        await Invariants.AssertLedgerAsync(check);
        await LotInvariants.AssertAsync(check, _clock.GetUtcNow());
    }
}

/// <summary>Invariant 9, checked over the whole database: quarantine follows the lot's status; available never counts it.</summary>
public static class LotInvariants
{
    public static async Task AssertAsync(BackOfficeDb db, DateTimeOffset now)
    {
        var recalled = (await db.Lots.Where(l => l.Status == LotStatus.Recalled).Select(l => new { l.ProductId, l.LotNumber }).ToListAsync())
            .Select(l => (l.ProductId, (string?)l.LotNumber)).ToHashSet();
        var batches = await db.Batches.AsNoTracking().Select(b => new { b.OutletId, b.ProductId, b.LotNumber, b.Quarantined, b.ExpiryDate, b.OnHand }).ToListAsync();
        batches.Where(b => b.Quarantined != recalled.Contains((b.ProductId, b.LotNumber))).ShouldBeEmpty("a batch is quarantined exactly when its lot is recalled");

        var days = await db.OutletDaysAsync(now);
        foreach (var pair in batches.GroupBy(b => (b.OutletId, b.ProductId)))
        {
            var today = days[pair.Key.OutletId];
            var expected = pair.Where(b => !b.Quarantined && (b.ExpiryDate is null || b.ExpiryDate >= today)).Sum(b => b.OnHand);
            (await db.AvailableAsync(pair.Key.OutletId, pair.Key.ProductId, today)).ShouldBe(expected, "available counts no quarantined or expired unit");
            var stock = await db.StockAt(pair.Key.OutletId, today, db.Products.Where(p => p.Id == pair.Key.ProductId)).SingleAsync();
            (stock.Available + stock.Expired + stock.Quarantined).ShouldBe(stock.OnHand);
            stock.Quarantined.ShouldBe(pair.Where(b => b.Quarantined).Sum(b => b.OnHand));
        }
    }
}
