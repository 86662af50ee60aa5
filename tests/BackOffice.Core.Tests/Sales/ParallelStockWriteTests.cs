using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Core.Tests.Sales;

/// <summary>
/// Writers of different kinds on the same rows at the same moment, each on its own connection: on PostgreSQL they run
/// truly in parallel (row locks, guarded writes), on SQLite they take turns on the write lock. Either way no unit is
/// taken twice, nothing is returned twice, and the ledger holds.
/// </summary>
public sealed class ParallelStockWriteTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly Shop _shop;

    public ParallelStockWriteTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private async Task SellAsync(int outletId, string sku, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await using var db = _database.Open();
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale((sku, 1)), new Counter(outletId));
        }
    }

    [Fact]
    public async Task Parallel_returns_of_one_sale_take_back_what_it_sold_exactly_once()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("AMOX-500MG-21");
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(100));
        SaleOutcome sale;
        await using (var db = _database.Open())
            sale = await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(("AMOX-500MG-21", 3)), new Counter(outlet.Id));

        // Eight tills each try to take back all three units, under eight different returnIds, at once.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var db = _database.Open();
            try
            {
                await new ReturnRecorder(db, _clock, new RecordingNotifier()).RecordReturnAsync(
                    new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 3)], "changed mind"),
                    new Counter(outlet.Id));
                return true;
            }
            catch (ValidationFailedException e) when (e.Errors.ContainsKey("lines[0].quantity"))
            {
                return false;
            }
        })));

        attempts.Count(taken => taken).ShouldBe(1, "one return takes the three units; every other finds nothing left to return");
        await using var check = _database.Open();
        (await check.ReturnLines.SumAsync(l => l.Quantity)).ShouldBe(3);
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(10);
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public async Task A_stock_take_posted_while_tills_sell_never_takes_a_batch_below_zero_and_the_ledger_holds()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA");
        var batch = await _shop.BatchAsync(outlet, product, 40, _shop.Today.AddDays(60), lot: "P1");
        int takeId;
        await using (var db = _database.Open())
        {
            var takes = new StockTakeService(db, _clock, new RecordingNotifier());
            takeId = await takes.OpenStockTakeAsync(new OpenStockTake(outlet.Id, null, Blind: false), "manager");
            await takes.RecordCountAsync(takeId, "PARA", "P1", 35);
        }

        var selling = Task.Run(() => SellAsync(outlet.Id, "PARA", 30));
        var posting = Task.Run(async () =>
        {
            await using var db = _database.Open();
            try
            {
                await new StockTakeService(db, _clock, new RecordingNotifier()).PostStockTakeAsync(takeId, "manager");
                return true;
            }
            catch (ValidationFailedException)
            {
                // The sales moved the batch below what posting would take: refused, with nothing written.
                return false;
            }
        });
        await selling;
        var posted = await posting;

        await using var check = _database.Open();
        var onHand = (await check.Batches.AsNoTracking().SingleAsync(b => b.Id == batch.Id)).OnHand;
        onHand.ShouldBeGreaterThanOrEqualTo(0);
        var sold = await check.Allocations.SumAsync(a => a.Quantity);
        var adjusted = await check.Movements.Where(m => m.Kind == MovementKind.StockTake).SumAsync(m => (int?)m.Quantity) ?? 0;
        onHand.ShouldBe(40 - sold + adjusted, "every unit is either sold once, adjusted once by the take, or still there");
        (await check.Movements.CountAsync(m => m.Kind == MovementKind.StockTake)).ShouldBe(posted ? 1 : 0);
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public async Task Transfers_and_sales_from_the_same_batches_at_once_never_move_a_unit_twice()
    {
        var from = await _shop.OutletAsync("FROM");
        var to = await _shop.OutletAsync("TO");
        var product = await _shop.ProductAsync("IBU");
        for (var i = 0; i < 4; i++) await _shop.BatchAsync(from, product, 10, _shop.Today.AddDays(40 + i));

        var selling = Task.Run(() => SellAsync(from.Id, "IBU", 25));
        var transferring = Task.Run(async () =>
        {
            var moved = 0;
            for (var i = 0; i < 10; i++)
            {
                await using var db = _database.Open();
                try
                {
                    await new InventoryService(db, _clock, new RecordingNotifier()).TransferAsync(
                        new TransferGoods(from.Code, to.Code, [new TransferLine("IBU", 2)], "top up"), "manager");
                    moved += 2;
                }
                catch (ValidationFailedException)
                {
                    // Not enough sellable stock left at the source: refused whole.
                }
            }
            return moved;
        });
        await selling;
        var transferred = await transferring;

        await using var check = _database.Open();
        var sold = await check.Allocations.SumAsync(a => a.Quantity);
        var atSource = await check.Batches.Where(b => b.OutletId == from.Id).SumAsync(b => b.OnHand);
        var atDestination = await check.Batches.Where(b => b.OutletId == to.Id).SumAsync(b => b.OnHand);
        atDestination.ShouldBe(transferred);
        (sold + atSource + atDestination).ShouldBe(40, "each of the 40 units is sold, still at the source, or at the destination: once");
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public async Task Expiry_marking_while_tills_sell_marks_each_expired_batch_once_and_sells_none_of_it()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("VITC");
        var expired = await _shop.BatchAsync(outlet, product, 20, _shop.Today.AddDays(-1), lot: "OLD");
        var good = await _shop.BatchAsync(outlet, product, 20, _shop.Today.AddDays(90), lot: "NEW");

        var selling = Task.Run(() => SellAsync(outlet.Id, "VITC", 15));
        var marking = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var db = _database.Open();
            return await new ExpiryMarking(db, _clock, new RecordingNotifier(), NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        })).ToList();
        await selling;
        var runs = await Task.WhenAll(marking);

        await using var check = _database.Open();
        (await check.Batches.AsNoTracking().SingleAsync(b => b.Id == expired.Id)).OnHand.ShouldBe(20, "on hand, on the disposal list");
        (await check.Movements.CountAsync(m => m.BatchId == expired.Id && m.Kind == MovementKind.Expiry)).ShouldBe(1, "marked once by two runs at once");
        (await check.Allocations.CountAsync(a => a.BatchId == expired.Id)).ShouldBe(0, "never sold from");
        (await check.Batches.AsNoTracking().SingleAsync(b => b.Id == good.Id)).OnHand.ShouldBe(5);
        runs.Sum(r => r.Batches).ShouldBe(1);
        await Invariants.AssertLedgerAsync(check);
    }
}
