using System.Text.Json;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

public sealed class RecordSaleTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public RecordSaleTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private SaleRecorder Recorder(BackOffice.Core.Data.BackOfficeDb db) => new(db, _clock, _notifier);

    [Fact]
    public async Task Allocates_first_expiry_first_out_with_undated_batches_last_and_expired_never()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA-500-16");
        var undated = await _shop.BatchAsync(outlet, product, 5, null, "NOEXP", receivedDaysAgo: 30);
        var late = await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(200), "LATE");
        var expired = await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(-1), "GONE");
        var early = await _shop.BatchAsync(outlet, product, 3, _shop.Today, "TODAY");
        var earlyTwin = await _shop.BatchAsync(outlet, product, 2, _shop.Today, "TODAY-B", receivedDaysAgo: 5);

        await using var db = _database.Open();
        var outcome = await Recorder(db).RecordSaleAsync(Shop.Sale(("PARA-500-16", 14)), new Counter(outlet.Id));

        var line = outcome.Sale.Lines.ShouldHaveSingleItem();
        line.Allocations.Select(a => a.BatchId).ShouldBe([early.Id, earlyTwin.Id, late.Id, undated.Id]);
        line.Allocations.Select(a => a.Quantity).ShouldBe([3, 2, 5, 4]);
        line.Allocated.ShouldBe(14);
        line.Shortfall.ShouldBe(0);
        (await db.Batches.AsNoTracking().SingleAsync(b => b.Id == expired.Id)).OnHand.ShouldBe(5, "an expired batch is never sold from");
        await Invariants.AssertLedgerAsync(db);
    }

    [Fact]
    public async Task Expiry_is_judged_in_the_outlets_time_zone()
    {
        // 23:30 UTC on the 24th is already the 25th in Paris: a batch expiring on the 24th is expired there, not in New York.
        _clock.Now = new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.Zero);
        var paris = await _shop.OutletAsync("PAR", "Europe/Paris");
        var newYork = await _shop.OutletAsync("NYC", "America/New_York");
        var product = await _shop.ProductAsync("IBU-200-24");
        await _shop.BatchAsync(paris, product, 10, new DateOnly(2026, 11, 24));
        await _shop.BatchAsync(newYork, product, 10, new DateOnly(2026, 11, 24));

        await using var db = _database.Open();
        var inParis = await Recorder(db).RecordSaleAsync(Shop.Sale(("IBU-200-24", 1)), new Counter(paris.Id));
        var inNewYork = await Recorder(db).RecordSaleAsync(Shop.Sale(("IBU-200-24", 1)), new Counter(newYork.Id));

        inParis.Sale.Lines[0].Shortfall.ShouldBe(1);
        inNewYork.Sale.Lines[0].Allocated.ShouldBe(1);
    }

    [Fact]
    public async Task Selling_more_than_stock_records_a_shortfall_and_a_discrepancy_never_negative_stock()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("CET-10MG-30");
        await _shop.BatchAsync(outlet, product, 4, _shop.Today.AddDays(90));
        var unstocked = await _shop.ProductAsync("LOR-10MG-30");

        await using var db = _database.Open();
        var outcome = await Recorder(db).RecordSaleAsync(Shop.Sale(("CET-10MG-30", 6), ("LOR-10MG-30", 2)), new Counter(outlet.Id));

        outcome.Created.ShouldBeTrue();
        outcome.Sale.Lines[0].ShouldSatisfyAllConditions(l => l.Allocated.ShouldBe(4), l => l.Shortfall.ShouldBe(2));
        outcome.Sale.Lines[1].ShouldSatisfyAllConditions(l => l.Allocated.ShouldBe(0), l => l.Shortfall.ShouldBe(2), l => l.Allocations.ShouldBeEmpty());
        var discrepancies = await db.Discrepancies.AsNoTracking().OrderBy(d => d.ProductId).ToListAsync();
        discrepancies.Select(d => (d.ProductId, d.Quantity, d.Kind)).ShouldBe([(product.Id, 2, DiscrepancyKind.SaleShortfall), (unstocked.Id, 2, DiscrepancyKind.SaleShortfall)]);
        await Invariants.AssertLedgerAsync(db);
        _notifier.Notifications.ShouldHaveSingleItem().Select(l => (l.Sku, l.Available)).OrderBy(x => x.Sku)
            .ShouldBe([("CET-10MG-30", 0), ("LOR-10MG-30", 0)]);
    }

    [Fact]
    public async Task A_replay_answers_the_first_result_and_records_nothing_new()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("ASP-75MG-28");
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(30));
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(60));
        var sale = Shop.Sale(("ASP-75MG-28", 12));

        await using var db = _database.Open();
        var first = await Recorder(db).RecordSaleAsync(sale, new Counter(outlet.Id));
        await using var other = _database.Open();
        var again = await Recorder(other).RecordSaleAsync(sale with { Lines = sale.Lines.ToList() }, new Counter(outlet.Id));

        first.Created.ShouldBeTrue();
        again.Created.ShouldBeFalse();
        JsonSerializer.Serialize(again.Sale).ShouldBe(JsonSerializer.Serialize(first.Sale));
        (await db.Sales.CountAsync()).ShouldBe(1);
        (await db.Movements.CountAsync(m => m.Kind == MovementKind.Sale)).ShouldBe(2);
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(8);
    }

    [Fact]
    public async Task The_same_sale_id_with_other_content_is_a_conflict_and_changes_nothing()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("ASP-75MG-28");
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(30));
        var sale = Shop.Sale(("ASP-75MG-28", 2));
        await using var db = _database.Open();
        await Recorder(db).RecordSaleAsync(sale, new Counter(outlet.Id));

        await Should.ThrowAsync<IdempotencyConflictException>(() =>
            Recorder(db).RecordSaleAsync(sale with { Lines = [new SaleLineRequest("ASP-75MG-28", 3, 2.50m)], Payments = [new PaymentRequest("cash", 7.50m)] }, new Counter(outlet.Id)));
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(8);
    }

    public static TheoryData<string, Func<SaleRequest, SaleRequest>> BadSales => new()
    {
        { "lines", s => s with { Lines = [] } },
        { "lines[0].quantity", s => s with { Lines = [new SaleLineRequest("ASP-75MG-28", 0, 1m)] } },
        { "lines[0].unitPrice", s => s with { Lines = [new SaleLineRequest("ASP-75MG-28", 1, -1m)] } },
        { "lines[1].sku", s => s with { Lines = [new SaleLineRequest("ASP-75MG-28", 1, 1m), new SaleLineRequest("NOPE", 1, 1m)] } },
        { "lines[0].sku", s => s with { Lines = [new SaleLineRequest("OLD-1", 1, 1m)] } },
        { "saleId", s => s with { SaleId = Guid.Empty } },
        { "occurredAt", s => s with { OccurredAt = new DateTimeOffset(2026, 11, 24, 12, 6, 0, TimeSpan.Zero) } },
        { "occurredAt", s => s with { OccurredAt = new DateTimeOffset(2026, 8, 25, 11, 59, 0, TimeSpan.Zero) } },
        { "lines[0].quantity", s => s with { Lines = [new SaleLineRequest("ASP-75MG-28", 10_001, 1m)], Payments = null } },
        { "lines[0].unitPrice", s => s with { Lines = [new SaleLineRequest("ASP-75MG-28", 1, 100_000.01m)], Payments = null } },
        { "lines", s => s with { Lines = Enumerable.Range(0, 201).Select(_ => new SaleLineRequest("ASP-75MG-28", 1, 1m)).ToList(), Payments = null } },
        { "payments", s => s with { Payments = [new PaymentRequest("card", 0.01m)] } },
        { "payments", s => s with { Payments = [new PaymentRequest("card", 5.01m)] } },
    };

    [Theory]
    [MemberData(nameof(BadSales))]
    public async Task Bad_input_is_refused_by_field_and_changes_nothing(string field, Func<SaleRequest, SaleRequest> spoil)
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("ASP-75MG-28");
        await _shop.ProductAsync("OLD-1", active: false);
        await _shop.BatchAsync(outlet, product, 10, _shop.Today.AddDays(30));

        await using var db = _database.Open();
        var error = await Should.ThrowAsync<ValidationFailedException>(() =>
            Recorder(db).RecordSaleAsync(spoil(Shop.Sale(("ASP-75MG-28", 2))), new Counter(outlet.Id)));

        error.Errors.Keys.ShouldContain(field);
        (await db.Sales.CountAsync()).ShouldBe(0);
        (await db.Movements.CountAsync()).ShouldBe(1);
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(10);
    }
}
