using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

/// <summary>Goods brought back: into the batches the sale took them from, once per returnId.</summary>
public sealed class ReturnTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public ReturnTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_return_goes_back_to_the_sales_batches_latest_expiring_first_and_into_one_expired_since_joins_its_expired_stock()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("AMOX-500MG-21");
        var soon = await _shop.BatchAsync(outlet, product, 2, _shop.Today.AddDays(2), "SOON");
        var later = await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(100), "LATER");
        await using var db = _database.Open();
        var sale = await new SaleRecorder(db, _clock, _notifier).RecordSaleAsync(Shop.Sale(("AMOX-500MG-21", 5)), new Counter(outlet.Id));
        var returns = new ReturnRecorder(db, _clock, _notifier);

        var first = await returns.RecordReturnAsync(new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 3)], "Wrong strength"), new Counter(outlet.Id));
        first.Return.Lines[0].Batches.Select(b => (b.BatchId, b.Quantity)).ShouldBe([(later.Id, 3)]);

        // Five days on, the SOON batch has expired: what comes back into it is on hand but never sellable again, and on the
        // outlet's disposal list.
        _clock.Now = _clock.Now.AddDays(5);
        var second = await returns.RecordReturnAsync(new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 2)]), new Counter(outlet.Id));
        second.Return.Lines[0].Batches.Select(b => (b.BatchId, b.Quantity)).ShouldBe([(soon.Id, 2)]);
        (await db.Batches.AsNoTracking().SingleAsync(b => b.Id == soon.Id)).OnHand.ShouldBe(2);
        (await db.AvailableAsync(outlet.Id, product.Id, _shop.Today)).ShouldBe(10, "only LATER is sellable");
        _notifier.Notifications.Last().ShouldHaveSingleItem().Available.ShouldBe(10);
        (await new DisposalService(db, _clock, _notifier).ListAsync(outlet.Code)).Rows.Select(r => (r.BatchId, r.Quantity)).ShouldBe([(soon.Id, 2)]);

        var tooMany = await Should.ThrowAsync<ValidationFailedException>(() => returns.RecordReturnAsync(
            new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 1)]), new Counter(outlet.Id)));
        tooMany.Errors.Keys.ShouldContain("lines[0].quantity");
        var unknownSale = await Should.ThrowAsync<ValidationFailedException>(() => returns.RecordReturnAsync(
            new ReturnRequest(Guid.NewGuid(), Guid.NewGuid(), _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 1)]), new Counter(outlet.Id)));
        unknownSale.Errors.Keys.ShouldContain("saleId");
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task A_return_replayed_answers_the_same_and_other_content_conflicts()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("AMOX-500MG-21");
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(100));
        await using var db = _database.Open();
        var sale = await new SaleRecorder(db, _clock, _notifier).RecordSaleAsync(Shop.Sale(("AMOX-500MG-21", 5)), new Counter(outlet.Id));
        var request = new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("AMOX-500MG-21", 2)]);
        var returns = new ReturnRecorder(db, _clock, _notifier);

        var first = await returns.RecordReturnAsync(request, new Counter(outlet.Id));
        var again = await returns.RecordReturnAsync(request, new Counter(outlet.Id));

        again.Created.ShouldBeFalse();
        System.Text.Json.JsonSerializer.Serialize(again.Return).ShouldBe(System.Text.Json.JsonSerializer.Serialize(first.Return));
        await Should.ThrowAsync<IdempotencyConflictException>(() => returns.RecordReturnAsync(request with { Lines = [new ReturnLineRequest("AMOX-500MG-21", 1)] }, new Counter(outlet.Id)));
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(7);
    }
}
