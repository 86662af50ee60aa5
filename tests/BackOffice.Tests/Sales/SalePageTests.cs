using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using BackOffice.Web.Inventory;
using BackOffice.Web.Reporting;
using BackOffice.Web.Sales;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>
/// A till's sale as the ledger shows it (a link to its page, the till as who sold it) and the sale's page itself;
/// a receipt likewise.
/// </summary>
public sealed class SalePageTests : PageTest
{
    private Guid _saleId, _returnId, _receiptId;
    private string _tillName = "", _lot = "";

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        var product = Make.Product("IBU-200");
        var batch = Make.Batch(outlet, product, onHand: 10);
        db.AddRange(outlet, product, batch);
        await db.SaveChangesAsync();
        var till = Make.Till(outlet.Id);
        db.Tills.Add(till);
        await db.SaveChangesAsync();
        (_tillName, _lot) = (till.Name, batch.LotNumber!);

        _saleId = Guid.NewGuid();
        await new SaleRecorder(db, Clock, NoStockChangeNotifier.Instance).RecordSaleAsync(new SaleRequest(_saleId, Clock.GetUtcNow().AddHours(-1),
            [new SaleLineRequest("IBU-200", 3, 4.99m)], [new PaymentRequest("card", 14.97m)]), new Counter(outlet.Id, till.Id));
        _returnId = Guid.NewGuid();
        await new ReturnRecorder(db, Clock, NoStockChangeNotifier.Instance).RecordReturnAsync(
            new ReturnRequest(_returnId, _saleId, Clock.GetUtcNow().AddMinutes(-30), [new ReturnLineRequest("IBU-200", 1)], "Wrong size"), new Counter(outlet.Id, till.Id));
        _receiptId = (await new InventoryService(db, Clock, NoStockChangeNotifier.Instance).ReceiveAsync(
            new ReceiveGoods("LDN-01", "PO-9", [new ReceiveLine("IBU-200", "LOT-R", new DateOnly(2027, 3, 31), 12, 2m)]), UserName)).ReceiptId;
    }

    [Fact]
    public void The_ledger_links_each_reference_to_its_page_and_names_the_till_as_who_sold()
    {
        RenderProviders();
        var page = Render<LedgerReportPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger-table] tbody tr").Count.ShouldBe(3), Wait);

        var sale = page.FindAll("[data-testid=ledger-table] tbody tr").Single(r => r.TextContent.Contains("Sale") && r.QuerySelector("[data-testid=movement-reference]") is { } link
            && link.GetAttribute("href") == $"/sales/{_saleId}");
        sale.QuerySelector("[data-testid=movement-reference]")!.TextContent.Trim().ShouldBe($"Sale {_saleId.ToString()[..8]}…");
        sale.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ShouldContain(_tillName);
        sale.TextContent.ShouldNotContain($"sale:{_saleId}");

        page.FindAll("[data-testid=movement-reference]").Select(a => a.GetAttribute("href")).ShouldBe(
            [$"/inventory/receipts/{_receiptId}", $"/sales/returns/{_returnId}", $"/sales/{_saleId}"], ignoreOrder: true);
    }

    [Fact]
    public void The_product_page_links_its_movements_and_names_the_till()
    {
        RenderProviders();
        var page = Render<ProductDetailPage>(p => p.Add(x => x.Sku, "IBU-200"));
        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger] [data-testid=movement-reference]").Count.ShouldBe(3), Wait);
        var saleRow = page.FindAll("[data-testid=ledger] tbody tr").Single(r => r.QuerySelector($"a[href='/sales/{_saleId}']") is not null);
        saleRow.TextContent.ShouldContain(_tillName);
    }

    [Fact]
    public void The_sale_page_shows_till_outlet_lines_batches_payments_and_returns()
    {
        RenderProviders();
        var page = Render<SalePage>(p => p.Add(x => x.SaleId, _saleId));
        page.WaitForElement("[data-testid=sale-title]", Wait).TextContent.ShouldContain(_saleId.ToString()[..8]);
        page.Find("[data-testid=sale-summary]").TextContent.ShouldSatisfyAllConditions(t => t.ShouldContain("LDN-01"), t => t.ShouldContain(_tillName));
        var lines = page.Find("[data-testid=sale-lines]").TextContent;
        lines.ShouldContain("IBU-200");
        page.Find("[data-testid=sale-allocations]").TextContent.ShouldContain($"{_lot} · {Web.Components.Formats.User.Date(new DateOnly(2027, 6, 30))} × 3");
        page.Find("[data-testid=sale-payments]").TextContent.ShouldContain("card");
        page.Find("[data-testid=sale-returns]").TextContent.ShouldContain("Wrong size");
        page.FindAll("[data-testid=return-shown]").ShouldBeEmpty();
    }

    [Fact]
    public void A_return_opens_its_sale_with_the_return_marked()
    {
        RenderProviders();
        var page = Render<SalePage>(p => p.Add(x => x.ReturnId, _returnId));
        page.WaitForElement("[data-testid=return-shown]", Wait);
        page.Find("[data-testid=sale-title]").TextContent.ShouldContain(_saleId.ToString()[..8]);
    }

    [Fact]
    public void An_unknown_sale_or_return_says_so()
    {
        RenderProviders();
        var unknown = Guid.NewGuid();
        var page = Render<SalePage>(p => p.Add(x => x.SaleId, unknown));
        page.WaitForElement("[data-testid=sale-not-found]", Wait).TextContent.ShouldContain($"There is no sale {unknown}.");
        var ret = Render<SalePage>(p => p.Add(x => x.ReturnId, unknown));
        ret.WaitForElement("[data-testid=sale-not-found]", Wait).TextContent.ShouldContain($"There is no return {unknown}.");
    }

    [Fact]
    public void The_receipt_page_shows_its_batches_and_an_unknown_one_says_so()
    {
        RenderProviders();
        var page = Render<StockDocumentPage>(p => p.Add(x => x.ReceiptId, _receiptId));
        page.WaitForElement("[data-testid=document-summary]", Wait).TextContent.ShouldContain("PO-9");
        page.Find("[data-testid=document-lines]").TextContent.ShouldContain("LOT-R");

        var unknown = Guid.NewGuid();
        var none = Render<StockDocumentPage>(p => p.Add(x => x.TransferId, unknown));
        none.WaitForElement("[data-testid=document-not-found]", Wait).TextContent.ShouldContain($"There is no transfer {unknown}.");
    }

    [Theory]
    [InlineData("stocktake:12", "/stock-takes/12")]
    [InlineData("adjustment:damage", "/inventory/adjustments")]
    [InlineData("expiry:2026-11-24T05:05Z", null)]
    [InlineData("stocktake:x", null)]
    [InlineData("sale:not-a-uuid", null)]
    public void References_without_a_uuid_link_by_kind(string reference, string? href) =>
        MovementReferenceLink.Href(MovementReference.Parse(reference)!.Value).ShouldBe(href);
}
