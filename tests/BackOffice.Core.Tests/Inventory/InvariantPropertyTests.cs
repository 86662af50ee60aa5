using BackOffice.Core.Inventory;
using BackOffice.Core.Lots;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Lots;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// Random receipts, sales, returns, transfers, adjustments, expiry runs and disposals from a fixed seed; after every step
/// every invariant of design.md holds. A failure names the seed and step, so it can be replayed.
/// </summary>
public sealed class InvariantPropertyTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(7, 400)]
    [InlineData(2026, 400)]
    public async Task Every_invariant_holds_after_every_operation(int seed, int steps)
    {
        var random = new Random(seed);
        var shop = new Shop(_database, _clock);
        var outlets = new[] { await shop.OutletAsync("A", "Europe/Paris"), await shop.OutletAsync("B", "America/New_York") };
        var skus = new List<string>();
        for (var i = 0; i < 6; i++) skus.Add((await shop.ProductAsync($"P{i}", tracksExpiry: i != 5)).Sku);
        var sales = new List<(Guid SaleId, int OutletId, string Sku, int Quantity)>();
        var notifier = new RecordingNotifier();
        var disposals = 0;

        for (var step = 0; step < steps; step++)
        {
            await using var db = _database.Open();
            var inventory = new InventoryService(db, _clock, notifier);
            var outlet = outlets[random.Next(outlets.Length)];
            var sku = skus[random.Next(skus.Count)];
            var operation = random.Next(100);
            string? scannedLot = null;
            Guid? soldNow = null;
            try
            {
                if (operation < 25)
                {
                    // One receipt in five expires within days, so that expired stock stays behind for the expiry runs and disposals.
                    DateOnly? expiry = sku == "P5" ? null : DateOnly.FromDateTime(_clock.Now.UtcDateTime).AddDays(random.Next(0, random.Next(5) == 0 ? 3 : 60));
                    await inventory.ReceiveAsync(new ReceiveGoods(outlet.Code, null, [new ReceiveLine(sku, $"L{random.Next(4)}", expiry, random.Next(1, 20), 1.25m)]), "p");
                }
                else if (operation < 65)
                {
                    var quantity = random.Next(1, 8);
                    // A quarter of the packs are scanned with their lot (GS1), which may be recalled or expired.
                    scannedLot = random.Next(4) == 0 ? $"L{random.Next(4)}" : null;
                    var request = Shop.Sale((sku, quantity));
                    request = request with { Lines = [request.Lines[0] with { LotNumber = scannedLot }] };
                    var outcome = await new SaleRecorder(db, _clock, notifier).RecordSaleAsync(request, new Counter(outlet.Id));
                    sales.Add((outcome.Sale.SaleId, outlet.Id, sku, quantity));
                    soldNow = outcome.Sale.SaleId;
                    outcome.Sale.Lines[0].ShouldSatisfyAllConditions(l => (l.Allocated + l.Shortfall).ShouldBe(quantity));
                }
                else if (operation < 75 && sales.Count > 0)
                {
                    var sold = sales[random.Next(sales.Count)];
                    await new ReturnRecorder(db, _clock, notifier).RecordReturnAsync(
                        new ReturnRequest(Guid.NewGuid(), sold.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest(sold.Sku, random.Next(1, sold.Quantity + 1))]), new Counter(sold.OutletId));
                }
                else if (operation < 85)
                {
                    var other = outlets.First(o => o.Id != outlet.Id);
                    await inventory.TransferAsync(new TransferGoods(outlet.Code, other.Code, [new TransferLine(sku, random.Next(1, 6))]), "p");
                }
                else if (operation < 90)
                {
                    var batch = await db.Batches.Where(b => b.OutletId == outlet.Id).OrderBy(b => b.Id).Select(b => new { b.Id, b.OnHand }).FirstOrDefaultAsync();
                    if (batch is not null)
                        await inventory.AdjustAsync(batch.Id, random.Next(-batch.OnHand - 2, 5) is var d && d != 0 ? d : 1, AdjustmentReason.Correction, null, "p");
                }
                else if (operation < 93)
                {
                    await new ExpiryMarking(db, _clock, notifier, NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
                }
                else if (operation < 96)
                {
                    // Some of what must leave the shelf, now and then more than a batch holds or a batch that is not listed (refused whole).
                    var listed = (await new DisposalService(db, _clock, notifier).ListAsync(outlet.Code, take: 10)).Rows;
                    if (listed.Count == 0)
                    {
                        outlet = outlets.First(o => o.Id != outlet.Id);
                        listed = (await new DisposalService(db, _clock, notifier).ListAsync(outlet.Code, take: 10)).Rows;
                    }
                    var lines = listed.Where(_ => random.Next(2) == 0).Take(2)
                        .Select(r => new DisposeLine(r.BatchId, random.Next(8) == 0 ? r.Quantity + 1 : random.Next(3) == 0 ? null : random.Next(1, r.Quantity + 1))).ToList();
                    if (random.Next(10) == 0 && await db.Batches.Where(b => b.OutletId == outlet.Id).Select(b => (Guid?)b.Id).FirstOrDefaultAsync() is { } any
                        && lines.All(l => l.BatchId != any))
                        lines.Add(new DisposeLine(any));
                    if (lines.Count > 0)
                    {
                        await new DisposalService(db, _clock, notifier).DisposeAsync(
                            new DisposeGoods(outlet.Code, lines, random.Next(2) == 0 ? DisposalOutcome.Destroyed : DisposalOutcome.ReturnedToSupplier, "REF-" + step), "p");
                        disposals++;
                    }
                }
                else if (operation < 98)
                {
                    // A lot is recalled at every outlet, or a recalled one released.
                    var lot = $"L{random.Next(4)}";
                    var recalls = new LotRecalls(db, _clock, notifier);
                    try
                    {
                        if (await db.Lots.AnyAsync(l => l.LotNumber == lot && l.Status == LotStatus.Recalled && l.ProductId == db.Products.Single(p => p.Sku == sku).Id))
                            await recalls.ReleaseAsync(sku, lot, "cleared", "p");
                        else
                            await recalls.RecallAsync(sku, lot, "notice", "p");
                    }
                    catch (LotNotFoundException)
                    {
                        // A lot never received: nothing to recall.
                    }
                }
                else
                {
                    // Time passes: batches expire, and sales and returns must respect it.
                    _clock.Now = _clock.Now.AddHours(random.Next(1, 30));
                }
            }
            catch (ValidationFailedException)
            {
                // Refused input (too much to transfer or return, an adjustment below zero) must change nothing: checked below.
            }

            await Invariants.AssertLedgerAsync(db);
            await LotInvariants.AssertAsync(db, _clock.Now);
            var days = await db.OutletDaysAsync(_clock.Now);
            // Only the lot the till scanned may be taken whatever its status; anything else comes from sellable stock.
            var soldThisStep = await (from a in db.Allocations
                                      join b in db.Batches on a.BatchId equals b.Id
                                      join l in db.SaleLines on a.SaleLineId equals l.Id
                                      join s in db.Sales on l.SaleId equals s.Id
                                      where s.Id == soldNow && (scannedLot == null || b.LotNumber != scannedLot)
                                      select new { b.OutletId, b.ExpiryDate, b.Quarantined }).ToListAsync();
            soldThisStep.ShouldAllBe(x => x.ExpiryDate == null || x.ExpiryDate >= days[x.OutletId], $"seed {seed}, step {step}: sold from an expired batch");
            soldThisStep.ShouldAllBe(x => !x.Quarantined, $"seed {seed}, step {step}: sold from a quarantined batch");

            // Available never counts expired or quarantined stock; what is on hand of it is exactly the disposal list.
            foreach (var o in outlets)
            {
                var today = days[o.Id];
                var stock = await db.StockAt(o.Id, today).Select(p => new { p.Sku, p.OnHand, p.Available }).ToListAsync();
                var unsellableBySku = await db.Batches.Where(b => b.OutletId == o.Id && (b.ExpiryDate < today || b.Quarantined))
                    .GroupBy(b => b.Product.Sku).Select(g => new { Sku = g.Key, Units = g.Sum(b => b.OnHand) }).ToDictionaryAsync(g => g.Sku, g => g.Units);
                stock.ShouldAllBe(p => p.Available == p.OnHand - unsellableBySku.GetValueOrDefault(p.Sku, 0), $"seed {seed}, step {step}: available counts unsellable stock at {o.Code}");
                var list = await new DisposalService(db, _clock, notifier).ListAsync(o.Code, take: 500);
                list.TotalUnits.ShouldBe(unsellableBySku.Values.Sum(), $"seed {seed}, step {step}: the disposal list at {o.Code} is not the expired and recalled stock on hand");
            }
        }
        disposals.ShouldBeGreaterThan(0, "the run disposed of something");

        // The run did recall lots (the operation is not vacuous).
        await using (var check = _database.Open())
            (await check.Movements.CountAsync(m => m.Kind == MovementKind.Recall)).ShouldBeGreaterThan(0);
    }
}
