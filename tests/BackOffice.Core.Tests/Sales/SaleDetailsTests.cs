using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Reporting;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

/// <summary>The sale, receipt and transfer pages' reads, against <see cref="ReportFixture"/>.</summary>
public sealed class SaleDetailsTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private ReportFixture _f = null!;

    public async Task InitializeAsync() => _f = await ReportFixture.BuildAsync(_database, _clock);

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task A_sale_shows_its_lines_batches_payments_and_returns()
    {
        var counter = new CommandCounter();
        await using var db = _database.Open(counter);
        var sale = await new SaleDetails(db).FindAsync(_f.S2);

        sale.ShouldNotBeNull();
        (sale.OutletCode, sale.TillName, sale.Total).ShouldBe(("SHOP-A", (string?)null, 60m));
        var line = sale.Lines.ShouldHaveSingleItem();
        (line.Sku, line.Quantity, line.UnitPrice, line.Amount).ShouldBe(("ASP", 12, 5m, 60m));
        line.Allocations.Select(a => (a.LotNumber, a.ExpiryDate, a.Quantity)).OrderBy(a => a.LotNumber).ShouldBe(
            [("A1", (DateOnly?)new DateOnly(2026, 12, 1), 6), ("A2", new DateOnly(2027, 6, 1), 6)]);
        sale.Payments.ShouldBe([new SaleDetailPayment("cash", 60m)]);
        sale.Returns.ShouldHaveSingleItem().Quantity.ShouldBe(3);
        counter.Count.ShouldBe(5);

        var returnId = sale.Returns[0].Id;
        (await new SaleDetails(db).SaleOfReturnAsync(returnId)).ShouldBe(_f.S2);
    }

    [Fact]
    public async Task A_tills_sale_names_its_till_and_its_local_time_and_a_short_line_its_shortfall()
    {
        await using var db = _database.Open();
        var tillSaleId = await db.Sales.Where(s => s.TillId == _f.TillB).Select(s => s.Id).SingleAsync();
        var tillSale = await new SaleDetails(db).FindAsync(tillSaleId);
        tillSale!.TillName.ShouldBe("B-1");
        tillSale.OccurredLocal.ShouldBe(new DateTimeOffset(2026, 11, 25, 0, 30, 0, TimeSpan.FromHours(13)));

        var s1 = await new SaleDetails(db).FindAsync(_f.S1);
        var vit = s1!.Lines.Single(l => l.Sku == "VIT");
        vit.Shortfall.ShouldBe(2);
        vit.Allocations.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_sale_or_return_is_none()
    {
        await using var db = _database.Open();
        (await new SaleDetails(db).FindAsync(Guid.NewGuid())).ShouldBeNull();
        (await new SaleDetails(db).SaleOfReturnAsync(Guid.NewGuid())).ShouldBeNull();
    }

    [Fact]
    public async Task A_receipt_and_a_transfer_show_the_batches_they_moved()
    {
        await using var db = _database.Open();
        var received = await new InventoryService(db, _clock, new RecordingNotifier()).ReceiveAsync(
            new ReceiveGoods("SHOP-A", "PO-77", [new ReceiveLine("ASP", "R-1", new DateOnly(2027, 1, 31), 10, 2m), new ReceiveLine("BAND", null, null, 4, 0.5m)]), "manager");

        var counter = new CommandCounter();
        await using var read = _database.Open(counter);
        var receipt = await new StockDocuments(read).ReceiptAsync(received.ReceiptId);
        receipt.ShouldNotBeNull();
        (receipt.OutletCode, receipt.Reference, receipt.ReceivedBy).ShouldBe(("SHOP-A", (string?)"PO-77", (string?)"manager"));
        receipt.Lines.Select(l => (l.Sku, l.LotNumber, l.Quantity)).OrderBy(l => l.Sku).ShouldBe([("ASP", (string?)"R-1", 10), ("BAND", null, 4)]);
        counter.Count.ShouldBe(2);

        var transferId = await read.Transfers.Select(t => t.Id).SingleAsync();
        var transfer = await new StockDocuments(read).TransferAsync(transferId);
        (transfer!.FromOutletCode, transfer.ToOutletCode, transfer.CreatedBy).ShouldBe(("SHOP-A", "SHOP-B", (string?)"manager"));
        transfer.Lines.Select(l => (l.OutletCode, l.Kind, l.Sku, l.Quantity)).ShouldBe(
            [("SHOP-A", MovementKind.TransferOut, "BAND", -2), ("SHOP-B", MovementKind.TransferIn, "BAND", 2)]);

        (await new StockDocuments(read).ReceiptAsync(Guid.NewGuid())).ShouldBeNull();
        (await new StockDocuments(read).TransferAsync(Guid.NewGuid())).ShouldBeNull();
    }
}
