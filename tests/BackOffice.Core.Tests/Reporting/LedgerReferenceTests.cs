using BackOffice.Core.Inventory;
using BackOffice.Core.Reporting;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>
/// What a ledger line says caused it and who made it, against <see cref="ReportFixture"/>: each reference's kind and
/// document, and the till of a till's sale, read in the ledger's one query.
/// </summary>
public sealed class LedgerReferenceTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private ReportFixture _f = null!;

    public async Task InitializeAsync() => _f = await ReportFixture.BuildAsync(_database, _clock);

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    [Fact]
    public async Task Each_line_names_its_document_and_a_tills_sale_names_the_till()
    {
        await using var db = _database.Open();
        var rows = (await new Reports(db, _clock).LedgerAsync(new LedgerFilter(new ReportFilter()), take: 100)).Rows;

        var s1 = rows.Where(r => r.Document?.Kind == MovementReference.SaleKind && r.Document.Value.DocumentId == _f.S1).ToList();
        s1.Count.ShouldBe(1); // VIT was short: only the ASP line moved stock
        s1[0].By.ShouldBe("cashier");
        s1[0].Document!.Value.Text.ShouldBe($"Sale {_f.S1.ToString()[..8]}…");

        var tillSale = rows.Single(r => r.Kind == MovementKind.Sale && r.OutletCode == "SHOP-B");
        tillSale.TillName.ShouldBe("B-1");
        tillSale.By.ShouldBe("cashier-b at B-1");

        var returned = rows.Single(r => r.Kind == MovementKind.Return);
        returned.Document!.Value.Kind.ShouldBe(MovementReference.ReturnKind);
        returned.By.ShouldBeNull(); // recorded with no user and no till
        (await db.Returns.Select(r => r.Id).SingleAsync()).ShouldBe(returned.Document.Value.DocumentId!.Value);

        var transfer = rows.Where(r => r.Kind is MovementKind.TransferIn or MovementKind.TransferOut).Select(r => r.Document!.Value).Distinct().ShouldHaveSingleItem();
        transfer.Kind.ShouldBe(MovementReference.TransferKind);
        (await db.Transfers.Select(t => t.Id).SingleAsync()).ShouldBe(transfer.DocumentId!.Value);

        var take = rows.Single(r => r.Kind == MovementKind.StockTake).Document!.Value;
        take.Kind.ShouldBe(MovementReference.StockTakeKind);
        take.Text.ShouldStartWith("Stock take #");
        rows.Single(r => r.Kind == MovementKind.Adjustment).Document!.Value.Text.ShouldBe("Adjustment: damage");
        rows.Single(r => r.Kind == MovementKind.Adjustment).By.ShouldBe("manager");
    }

    [Fact]
    public async Task A_product_page_of_the_ledger_names_the_till_too()
    {
        await using var db = _database.Open();
        var vit = await db.Products.Where(p => p.Sku == "VIT").Select(p => p.Id).SingleAsync();
        var (_, rows) = await new ProductStockReport(db, _clock).LedgerAsync(vit, 0, 50);

        var tillSale = rows.Single(r => r.Kind == MovementKind.Sale && r.OutletCode == "SHOP-B");
        tillSale.TillName.ShouldBe("B-1");
        tillSale.By.ShouldBe("cashier-b at B-1");
        tillSale.Document!.Value.Kind.ShouldBe(MovementReference.SaleKind);
    }

    [Fact]
    public async Task The_till_names_cost_no_command_more_however_many_tills_sold()
    {
        var counts = new List<int>();
        foreach (var take in new[] { 1, 100 })
        {
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            var page = await new Reports(db, _clock).LedgerAsync(new LedgerFilter(new ReportFilter()), take: take);
            page.Rows.Count.ShouldBe(take == 1 ? 1 : 17);
            counts.Add(counter.Count);
        }
        counts.ShouldBe([1, 1]);
    }

    [Fact]
    public void Who_made_a_movement_reads_user_till_or_both()
    {
        MovementBy.Name(null, null).ShouldBeNull();
        MovementBy.Name("ann", null).ShouldBe("ann");
        MovementBy.Name(null, "Till 2").ShouldBe("Till 2");
        MovementBy.Name("ann", "Till 2").ShouldBe("ann at Till 2");
    }
}
