using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// The disposal list (what must leave the shelf: expired stock on hand) and the disposal of it: negative disposal movements
/// under one document, all or none, never twice, never below zero.
/// </summary>
public sealed class DisposalTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public DisposalTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private DisposalService Disposals(BackOffice.Core.Data.BackOfficeDb db) => new(db, _clock, _notifier);

    [Fact]
    public async Task The_list_holds_the_outlets_expired_batches_with_stock_oldest_first_paged_with_its_totals_whether_or_not_the_job_ran()
    {
        var outlet = await _shop.OutletAsync("A");
        var other = await _shop.OutletAsync("B");
        var para = await _shop.ProductAsync("PARA");
        var thermo = await _shop.ProductAsync("THERMO", tracksExpiry: false);
        var old = await _shop.BatchAsync(outlet, para, 5, _shop.Today.AddDays(-30), "OLD");
        var yesterday = await _shop.BatchAsync(outlet, para, 10, _shop.Today.AddDays(-1), "YDAY");
        await _shop.BatchAsync(outlet, para, 0, _shop.Today.AddDays(-3), "EMPTY");
        await _shop.BatchAsync(outlet, para, 7, _shop.Today, "LASTDAY");
        await _shop.BatchAsync(outlet, thermo, 4, null);
        await _shop.BatchAsync(other, para, 9, _shop.Today.AddDays(-2), "ELSEWHERE");

        await using var db = _database.Open();
        var first = await Disposals(db).ListAsync("A", take: 1);
        first.Rows.Select(r => (r.BatchId, r.Sku, r.LotNumber, r.ExpiryDate, r.Quantity, r.Reason)).ShouldBe(
            [(old.Id, "PARA", "OLD", _shop.Today.AddDays(-30), 5, DisposalReason.Expired)]);
        (first.TotalRows, first.TotalUnits, first.OutletCode).ShouldBe((2, 15, "A"));
        (await Disposals(db).ListAsync("A", skip: 1, take: 1)).Rows.ShouldHaveSingleItem().BatchId.ShouldBe(yesterday.Id);
        (await Disposals(db).ListAsync("B")).TotalUnits.ShouldBe(9);
        await Should.ThrowAsync<ValidationFailedException>(() => Disposals(db).ListAsync("NOPE"));
    }

    [Fact]
    public async Task Disposing_takes_the_chosen_units_off_the_shelf_under_one_document_in_the_ledger()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA");
        var ibu = await _shop.ProductAsync("IBU");
        var all = await _shop.BatchAsync(outlet, para, 10, _shop.Today.AddDays(-1), "P1");
        var part = await _shop.BatchAsync(outlet, ibu, 5, _shop.Today.AddDays(-4), "I1");
        var sellable = await _shop.BatchAsync(outlet, para, 6, _shop.Today.AddDays(20), "P2");

        await using var db = _database.Open();
        var result = await Disposals(db).DisposeAsync(new DisposeGoods(outlet.Code, [new DisposeLine(all.Id), new DisposeLine(part.Id, 2)],
            DisposalOutcome.Destroyed, "  DC-2026-118 "), "manager");

        (result.Lines, result.Units).ShouldBe((2, 12));
        var onHand = await db.Batches.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.OnHand);
        (onHand[all.Id], onHand[part.Id], onHand[sellable.Id]).ShouldBe((0, 3, 6));
        var reference = MovementReference.Disposal(result.DisposalId).ToString();
        var movements = await db.Movements.AsNoTracking().Where(m => m.Kind == MovementKind.Disposal).OrderBy(m => m.Quantity).ToListAsync();
        movements.Select(m => (m.BatchId, m.Quantity, m.ProductId)).ShouldBe([(all.Id, -10, para.Id), (part.Id, -2, ibu.Id)]);
        movements.ShouldAllBe(m => m.Reference == reference && m.UserName == "manager" && m.Note == "Destroyed, certificate DC-2026-118"
                                   && m.CreatedAt == _clock.Now.UtcDateTime && m.OutletId == outlet.Id);
        await Invariants.AssertLedgerAsync(db);
        (await db.AvailableAsync(outlet.Id, para.Id, _shop.Today)).ShouldBe(6, "sellable stock is untouched");

        // The document, as the ledger links to it.
        var document = await new StockDocuments(db).DisposalAsync(result.DisposalId);
        document.ShouldNotBeNull();
        (document.OutletCode, document.Outcome, document.Reference, document.CreatedBy).ShouldBe((outlet.Code, DisposalOutcome.Destroyed, "DC-2026-118", "manager"));
        document.Lines.Select(l => (l.BatchId, l.Kind, l.Quantity, l.LotNumber)).ShouldBe([(all.Id, MovementKind.Disposal, -10, "P1"), (part.Id, MovementKind.Disposal, -2, "I1")], ignoreOrder: true);
        MovementReference.Parse(reference)!.Value.Text.ShouldStartWith("Disposal ");

        // What is left of the part-disposed batch stays on the list; a second disposal of it returns it to the supplier.
        var left = await Disposals(db).ListAsync(outlet.Code);
        left.Rows.Select(r => (r.BatchId, r.Quantity)).ShouldBe([(part.Id, 3)]);
        await Disposals(db).DisposeAsync(new DisposeGoods(outlet.Code, [new DisposeLine(part.Id)], DisposalOutcome.ReturnedToSupplier, "RMA-55"), "manager");
        (await Disposals(db).ListAsync(outlet.Code)).TotalRows.ShouldBe(0);
        (await db.Movements.Where(m => m.BatchId == part.Id && m.Kind == MovementKind.Disposal).OrderBy(m => m.Id).Select(m => m.Note).LastAsync())
            .ShouldBe("Returned to supplier, RMA RMA-55");
        (await db.Disposals.CountAsync()).ShouldBe(2);
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task Disposing_of_what_a_return_brought_back_into_an_expired_batch_after_the_job_ran_keeps_the_ledger()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA");
        var batch = await _shop.BatchAsync(outlet, para, 4, _shop.Today.AddDays(-1));
        await using var db = _database.Open();
        await new ExpiryMarking(db, _clock, _notifier, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        await new InventoryService(db, _clock, _notifier).AdjustAsync(batch.Id, 2, AdjustmentReason.Found, null, "manager");

        await Disposals(db).DisposeAsync(new DisposeGoods(outlet.Code, [new DisposeLine(batch.Id)], DisposalOutcome.Destroyed, "DC-1"), "manager");

        (await db.Movements.Where(m => m.BatchId == batch.Id).OrderBy(m => m.Id).Select(m => new { m.Kind, m.Quantity }).ToListAsync()).ShouldBe(
            [new { Kind = MovementKind.Receipt, Quantity = 4 }, new { Kind = MovementKind.Expiry, Quantity = 0 },
             new { Kind = MovementKind.Adjustment, Quantity = 2 }, new { Kind = MovementKind.Disposal, Quantity = -6 }]);
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task The_stock_reports_show_expired_stock_after_the_expiry_job_until_it_is_disposed_of()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA");
        var expired = await _shop.BatchAsync(outlet, para, 8, _shop.Today.AddDays(-1), unitCost: 2m);
        await _shop.BatchAsync(outlet, para, 5, _shop.Today.AddDays(10), unitCost: 2m);
        await using var db = _database.Open();
        await new ExpiryMarking(db, _clock, _notifier, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        var reports = new BackOffice.Core.Reporting.Reports(db, _clock);
        var filter = new BackOffice.Core.Reporting.ReportFilter();

        var before = await reports.StockValuationAsync(filter);
        (before.OnHand, before.Available, before.Expired).ShouldBe((13, 5, 8));
        before.ExpiredValue.ShouldHaveSingleItem().Amount.ShouldBe(16m);
        (await reports.ExpiringAsync(filter, BackOffice.Core.Reporting.ExpirySection.Expired)).Page.Rows.ShouldHaveSingleItem().OnHand.ShouldBe(8);

        await Disposals(db).DisposeAsync(new DisposeGoods(outlet.Code, [new DisposeLine(expired.Id)], DisposalOutcome.ReturnedToSupplier, "RMA-9"), "manager");

        var after = await reports.StockValuationAsync(filter);
        (after.OnHand, after.Available, after.Expired).ShouldBe((5, 5, 0));
        (await reports.ExpiringAsync(filter, BackOffice.Core.Reporting.ExpirySection.Expired)).Batches.ShouldBe(0);
    }

    [Fact]
    public async Task Bad_disposals_are_refused_by_field_and_change_nothing()
    {
        var outlet = await _shop.OutletAsync("A");
        var other = await _shop.OutletAsync("B");
        var closed = await _shop.OutletAsync("C");
        var para = await _shop.ProductAsync("PARA");
        var expired = await _shop.BatchAsync(outlet, para, 5, _shop.Today.AddDays(-1));
        var sellable = await _shop.BatchAsync(outlet, para, 5, _shop.Today);
        var empty = await _shop.BatchAsync(outlet, para, 0, _shop.Today.AddDays(-1));
        var elsewhere = await _shop.BatchAsync(other, para, 5, _shop.Today.AddDays(-1));
        var atClosed = await _shop.BatchAsync(closed, para, 5, _shop.Today.AddDays(-1));
        await using (var db = _database.Open())
            await db.Outlets.Where(o => o.Id == closed.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.ClosedAt, _clock.Now.UtcDateTime.AddDays(-1)));

        async Task RefusedAsync(DisposeGoods goods, string field)
        {
            await using var db = _database.Open();
            var refused = await Should.ThrowAsync<ValidationFailedException>(() => Disposals(db).DisposeAsync(goods, "manager"));
            refused.Errors.Keys.ShouldContain(field, string.Join("; ", refused.Errors.SelectMany(e => e.Value)));
        }

        DisposeGoods Goods(params DisposeLine[] lines) => new("A", lines, DisposalOutcome.Destroyed, "DC-1");
        await RefusedAsync(Goods(new DisposeLine(expired.Id)) with { Reference = null }, "reference");
        await RefusedAsync(Goods(new DisposeLine(expired.Id)) with { Reference = "   " }, "reference");
        await RefusedAsync(Goods(new DisposeLine(expired.Id)) with { Reference = new string('x', 101) }, "reference");
        await RefusedAsync(Goods(new DisposeLine(expired.Id)) with { Outcome = (DisposalOutcome)7 }, "outcome");
        await RefusedAsync(Goods(), "lines");
        await RefusedAsync(Goods(new DisposeLine(expired.Id, 0)), "lines[0].quantity");
        await RefusedAsync(Goods(new DisposeLine(expired.Id, 6)), "lines[0].quantity");
        await RefusedAsync(Goods(new DisposeLine(expired.Id, 2), new DisposeLine(expired.Id, 2)), "lines[1].batchId");
        // Not on A's list: sellable, empty, at another outlet, unknown. One bad line refuses the good one with it.
        await RefusedAsync(Goods(new DisposeLine(expired.Id), new DisposeLine(sellable.Id)), "lines[1].batchId");
        await RefusedAsync(Goods(new DisposeLine(empty.Id)), "lines[0].batchId");
        await RefusedAsync(Goods(new DisposeLine(elsewhere.Id)), "lines[0].batchId");
        await RefusedAsync(Goods(new DisposeLine(Guid.NewGuid())), "lines[0].batchId");
        await RefusedAsync(new DisposeGoods("C", [new DisposeLine(atClosed.Id)], DisposalOutcome.Destroyed, "DC-1"), "outletCode");
        await RefusedAsync(new DisposeGoods("NOPE", [new DisposeLine(expired.Id)], DisposalOutcome.Destroyed, "DC-1"), "outletCode");

        await using var check = _database.Open();
        (await check.Movements.CountAsync(m => m.Kind == MovementKind.Disposal)).ShouldBe(0);
        (await check.Disposals.CountAsync()).ShouldBe(0);
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(20);
        (await check.Batches.CountAsync(b => b.Version != 0)).ShouldBe(0);
        _notifier.Notifications.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_disposal_costs_the_same_commands_for_1_and_50_lines()
    {
        var counts = new List<int>();
        foreach (var lines in new[] { 1, 50 })
        {
            using var database = new ShopDatabase();
            var shop = new Shop(database, _clock);
            var outlet = await shop.OutletAsync();
            List<Guid> ids;
            await using (var setup = database.Open())
            {
                var products = await BulkStock.ProductsAsync(setup, "P", 10);
                await BulkStock.BatchesAsync(setup, outlet.Id, products, lines, shop.Today.AddDays(-3));
                ids = await setup.Batches.Select(b => b.Id).ToListAsync();
            }
            var counter = new CommandCounter();
            var transactions = new TransactionCounter();
            await using var db = database.Open(counter, transactions);
            var result = await new DisposalService(db, _clock, _notifier).DisposeAsync(
                new DisposeGoods(outlet.Code, ids.Select(id => new DisposeLine(id, 2)).ToList(), DisposalOutcome.ReturnedToSupplier, "RMA-1"), "manager");
            result.Units.ShouldBe(2 * lines);
            transactions.Count.ShouldBe(1);
            counts.Add(counter.Count);
            (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(lines);
            await Invariants.AssertLedgerAsync(db);
        }
        counts[1].ShouldBe(counts[0]);
        counts[0].ShouldBeLessThanOrEqualTo(7, "the outlet, the locked read of the batches, the write, then the stock levels for the tills");
    }

    [Fact]
    public async Task Two_managers_disposing_of_the_same_batches_at_once_take_each_unit_off_once()
    {
        var outlet = await _shop.OutletAsync();
        var para = await _shop.ProductAsync("PARA");
        var whole = await _shop.BatchAsync(outlet, para, 12, _shop.Today.AddDays(-1), "WHOLE");
        var parts = await _shop.BatchAsync(outlet, para, 10, _shop.Today.AddDays(-2), "PARTS");

        async Task<int> AtOnceAsync(Func<int, DisposeGoods> goods)
        {
            using var start = new Barrier(8);
            var done = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                await using var db = _database.Open();
                start.SignalAndWait();
                try
                {
                    await Disposals(db).DisposeAsync(goods(i), $"manager {i}");
                    return true;
                }
                catch (ValidationFailedException)
                {
                    return false;
                }
            })));
            return done.Count(d => d);
        }

        // Eight managers at once, each disposing of all of WHOLE and 3 of PARTS; then eight at once, 3 of PARTS each.
        var first = await AtOnceAsync(i => new DisposeGoods(outlet.Code, [new DisposeLine(parts.Id, 3), new DisposeLine(whole.Id)], DisposalOutcome.Destroyed, $"DC-{i}"));
        var second = await AtOnceAsync(i => new DisposeGoods(outlet.Code, [new DisposeLine(parts.Id, 3)], DisposalOutcome.ReturnedToSupplier, $"RMA-{i}"));

        first.ShouldBe(1, "WHOLE leaves once: every other attempt finds it off the list and is refused whole");
        second.ShouldBe(2, "the 7 units left of PARTS give 3 twice, then refuse");
        await using var check = _database.Open();
        var onHand = await check.Batches.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.OnHand);
        (onHand[whole.Id], onHand[parts.Id]).ShouldBe((0, 1));
        (await check.Movements.CountAsync(m => m.BatchId == whole.Id && m.Kind == MovementKind.Disposal)).ShouldBe(1);
        (await check.Disposals.CountAsync()).ShouldBe(3);
        await Invariants.AssertLedgerAsync(check);
    }
}
