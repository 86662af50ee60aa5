using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using BackOffice.Core.Tills;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>
/// A small history whose report figures are worked out by hand in <see cref="ReportTests"/>. The clock stands at
/// 2026-11-24 12:00 UTC: SHOP-A (UTC) is on the 24th, SHOP-B (Auckland, UTC+13) already on the 25th.
///
/// SHOP-A  a1 ASP 10 exp 12-01 @2.00 · a2 ASP 20 exp 2027-06-01 @2.50 · a3 VIT 8 exp 11-23 @1.00 · a4 BAND 5 no expiry @0.50
/// SHOP-B  b1 ASP 6 exp 11-24 @2.00 (expired at B) · b2 VIT 12 exp 12-20 @1.20
/// S1 A (11-24 10:00Z): ASP 4 @5 (a1), VIT 2 @3 (shortfall: a3 expired) · S2 A (11-23 15:00Z): ASP 12 @5 (a1 6, a2 6)
/// R1 A (11-24 11:00Z): 3 ASP of S2 back into a2 · transfer A→B BAND 2 · a3 written off 5 (3 left, expired)
/// adjustment a2 −2 (damage) · take T1 at B (posted, 11-20): b2 12→11 (movement −1), ASP without lot 6→7
/// cancelled take T2 at B · open take T3 at A (11-22): a2 15→14 · S3 B till B-1 (11-24 11:30Z = 11-25 00:30 local): VIT 3 @3 (b2)
/// a5 VIT 4 exp 11-30 @1.00 received at A today · discrepancy at B: ASP return rejected 1 (11-24 11:30Z)
/// </summary>
public sealed class ReportFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public required Outlet A { get; init; }
    public required Outlet B { get; init; }
    public required Batch A2 { get; init; }
    public required Batch A3 { get; init; }
    public required Guid S1 { get; init; }
    public required Guid S2 { get; init; }
    public required int TillB { get; init; }

    public static async Task<ReportFixture> BuildAsync(ShopDatabase database, FixedClock clock)
    {
        clock.Now = Now;
        var shop = new Shop(database, clock);
        var a = await shop.OutletAsync("SHOP-A", "Etc/UTC");
        var b = await shop.OutletAsync("SHOP-B", "Pacific/Auckland");
        var asp = await shop.ProductAsync("ASP", price: 5m, reorderLevel: 5);
        var vit = await shop.ProductAsync("VIT", price: 3m, reorderLevel: 20);
        var band = await shop.ProductAsync("BAND", price: 2m, reorderLevel: 2, tracksExpiry: false);
        await shop.ProductAsync("OLD", reorderLevel: 100, active: false);

        var a1 = await shop.BatchAsync(a, asp, 10, new DateOnly(2026, 12, 1), "A1", unitCost: 2.00m);
        var a2 = await shop.BatchAsync(a, asp, 20, new DateOnly(2027, 6, 1), "A2", unitCost: 2.50m);
        var a3 = await shop.BatchAsync(a, vit, 8, new DateOnly(2026, 11, 23), "A3", unitCost: 1.00m);
        await shop.BatchAsync(a, band, 5, null, "A4", unitCost: 0.50m);
        var b1 = await shop.BatchAsync(b, asp, 6, new DateOnly(2026, 11, 24), "B1", unitCost: 2.00m);
        var b2 = await shop.BatchAsync(b, vit, 12, new DateOnly(2026, 12, 20), "B2", unitCost: 1.20m);
        _ = a1; _ = b1;

        int tillB;
        await using (var db = database.Open())
        {
            var till = new Till { OutletId = b.Id, Name = "B-1", TokenHash = "hash-b-1", CreatedAt = Now.UtcDateTime };
            db.Tills.Add(till);
            await db.SaveChangesAsync();
            tillB = till.Id;
        }

        var notifier = new RecordingNotifier();
        var s1 = Guid.NewGuid();
        var s2 = Guid.NewGuid();
        await using (var db = database.Open())
        {
            var sales = new SaleRecorder(db, clock, notifier);
            await sales.RecordSaleAsync(new SaleRequest(s1, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
                [new SaleLineRequest("ASP", 4, 5m), new SaleLineRequest("VIT", 2, 3m)], [new PaymentRequest("cash", 26m)]), new Counter(a.Id, UserName: "cashier"));
            clock.Now = Now.AddMinutes(1);
            await sales.RecordSaleAsync(new SaleRequest(s2, new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero),
                [new SaleLineRequest("ASP", 12, 5m)], [new PaymentRequest("cash", 60m)]), new Counter(a.Id, UserName: "cashier"));
        }
        await using (var db = database.Open())
        {
            clock.Now = Now.AddMinutes(2);
            await new ReturnRecorder(db, clock, notifier).RecordReturnAsync(new ReturnRequest(Guid.NewGuid(), s2,
                new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero), [new ReturnLineRequest("ASP", 3)]), new Counter(a.Id));
            clock.Now = Now.AddMinutes(3);
            var inventory = new InventoryService(db, clock, notifier);
            await inventory.TransferAsync(new TransferGoods("SHOP-A", "SHOP-B", [new TransferLine("BAND", 2)]), "manager");
            clock.Now = Now.AddMinutes(5);
            await inventory.AdjustAsync(a2.Id, -2, AdjustmentReason.Damage, "dropped", "manager");
        }
        await using (var db = database.Open())
        {
            // The expiry write-off of part of a3 and the posted count of b2, as the expiry job and stock-take posting write them.
            db.Movements.Add(StockMovement.For(a3, MovementKind.Expiry, -5, Now.AddMinutes(4).UtcDateTime, "expiry:2026-11-24"));
            var t1 = new StockTake
            {
                OutletId = b.Id, Status = StockTakeStatus.Posted, OpenedAt = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc),
                SnapshotAt = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), PostedAt = new DateTime(2026, 11, 20, 18, 0, 0, DateTimeKind.Utc)
            };
            var t2 = new StockTake
            {
                OutletId = b.Id, Status = StockTakeStatus.Cancelled, OpenedAt = new DateTime(2026, 11, 21, 9, 0, 0, DateTimeKind.Utc),
                SnapshotAt = new DateTime(2026, 11, 21, 9, 0, 0, DateTimeKind.Utc)
            };
            var t3 = new StockTake
            {
                OutletId = a.Id, Status = StockTakeStatus.Open, OpenedAt = new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc),
                SnapshotAt = new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc)
            };
            db.StockTakes.AddRange(t1, t2, t3);
            await db.SaveChangesAsync();
            db.StockTakeLines.AddRange(
                new StockTakeLine { StockTakeId = t1.Id, ProductId = vit.Id, BatchId = b2.Id, Expected = 12, Counted = 11 },
                new StockTakeLine { StockTakeId = t1.Id, ProductId = asp.Id, BatchId = null, Expected = 6, Counted = 7 },
                new StockTakeLine { StockTakeId = t1.Id, ProductId = band.Id, BatchId = null, Expected = 2, Counted = null },
                new StockTakeLine { StockTakeId = t2.Id, ProductId = vit.Id, BatchId = b2.Id, Expected = 12, Counted = 100 },
                new StockTakeLine { StockTakeId = t3.Id, ProductId = asp.Id, BatchId = a2.Id, Expected = 15, Counted = 14 });
            db.Movements.Add(StockMovement.For(b2, MovementKind.StockTake, -1, t1.PostedAt!.Value, $"stocktake:{t1.Id}"));
            db.Discrepancies.Add(new Discrepancy
            {
                OutletId = b.Id, ProductId = asp.Id, Kind = DiscrepancyKind.ReturnRejected, Quantity = 1,
                Reference = "return:test", CreatedAt = new DateTime(2026, 11, 24, 11, 30, 0, DateTimeKind.Utc)
            });
            await db.SaveChangesAsync();
            await db.Batches.Where(x => x.Id == a3.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand - 5));
            await db.Batches.Where(x => x.Id == b2.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand - 1));
        }
        await using (var db = database.Open())
        {
            clock.Now = Now.AddMinutes(6);
            await new SaleRecorder(db, clock, notifier).RecordSaleAsync(new SaleRequest(Guid.NewGuid(), new DateTimeOffset(2026, 11, 25, 0, 30, 0, TimeSpan.FromHours(13)),
                [new SaleLineRequest("VIT", 3, 3m)], [new PaymentRequest("card", 9m)]), new Counter(b.Id, tillB, "cashier-b"));
        }
        clock.Now = Now.AddMinutes(7);
        await shop.BatchAsync(a, vit, 4, new DateOnly(2026, 11, 30), "A5", receivedDaysAgo: 0, unitCost: 1.00m);
        clock.Now = Now.AddMinutes(10);
        await using (var db = database.Open()) await Invariants.AssertLedgerAsync(db);
        return new ReportFixture { A = a, B = b, A2 = a2, A3 = a3, S1 = s1, S2 = s2, TillB = tillB };
    }
}
