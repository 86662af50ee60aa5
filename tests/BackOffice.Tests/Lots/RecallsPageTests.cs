using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Tests.Support;
using BackOffice.Web.Lots;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Lots;

/// <summary>The Recalls page: a scanned pack finds its lot's trace; recalling needs a reason, quarantines it everywhere; release undoes it.</summary>
public sealed class RecallsPageTests : PageTest
{
    private Guid _saleId;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var london = Make.Outlet("LDN-01");
        var leeds = Make.Outlet("LDS-01");
        var product = Make.Product("PARA-500-16", "5012345678900");
        db.AddRange(london, leeds, product);
        var inLondon = Make.Batch(london, product, 30);
        var inLeeds = Make.Batch(leeds, product, 7);
        inLondon.LotNumber = inLeeds.LotNumber = "L2391";
        db.Batches.AddRange(inLondon, inLeeds);
        await db.SaveChangesAsync();
        db.Movements.AddRange(StockMovement.For(inLondon, MovementKind.Receipt, 30, Make.Now, "test"), StockMovement.For(inLeeds, MovementKind.Receipt, 7, Make.Now, "test"));
        await db.SaveChangesAsync();
        var sale = await new SaleRecorder(db, Clock, NoStockChangeNotifier.Instance).RecordSaleAsync(new SaleRequest(Guid.NewGuid(), Clock.GetUtcNow().AddHours(-1),
            [new SaleLineRequest("PARA-500-16", 2, 3.49m, "L2391")]), new Counter(london.Id));
        _saleId = sale.Sale.SaleId;
    }

    [Fact]
    public async Task A_scanned_pack_shows_its_trace_and_the_lot_is_recalled_with_a_reason_and_released()
    {
        RenderProviders();
        var page = Render<RecallsPage>();
        page.WaitForElement("[data-testid=recalled-empty]", Wait);

        // A keyboard-wedge scanner's DataMatrix: digits with the GS separator after the variable-length lot.
        await page.ChangeOnAsync("[data-testid=lot-code]", "]d20105012345678900" + "17270331" + "10L2391\u001d" + "21SERIAL1");
        page.WaitForElement("[data-testid=lot-trace]", Wait);
        page.Find("[data-testid=lot-status]").TextContent.ShouldContain("Active");
        page.Find("[data-testid=lot-onhand]").TextContent.Trim().ShouldBe("35");
        page.Find("[data-testid=lot-sold]").TextContent.Trim().ShouldBe("2");
        page.Find("[data-testid=lot-outlets]").TextContent.ShouldSatisfyAllConditions(t => t.ShouldContain("LDN-01"), t => t.ShouldContain("LDS-01"));
        page.Find("[data-testid=lot-sales]").InnerHtml.ShouldContain($"/sales/{_saleId}");
        page.Find("[data-testid=lot-csv]").GetAttribute("href").ShouldBe("/lots/trace.csv?sku=PARA-500-16&lot=L2391");

        await page.ClickOnAsync("[data-testid=lot-status-submit]");
        page.WaitForAssertion(() => page.Find("[data-testid=lot-status-form]").TextContent.ShouldContain("Say why the lot is recalled"), Wait);
        await using (var db = Db.Open())
            (await db.Batches.CountAsync(b => b.Quarantined)).ShouldBe(0, "a refused recall changes nothing");

        await page.ChangeOnAsync("[data-testid=lot-reason-field]", "MHRA class 2 drug alert 26/114");
        await page.ClickOnAsync("[data-testid=lot-status-submit]");
        page.WaitForAssertion(() => page.Find("[data-testid=lot-status]").TextContent.ShouldContain("Recalled"), Wait);
        page.Find("[data-testid=lot-reason]").TextContent.ShouldContain("MHRA class 2 drug alert 26/114");
        page.Find("[data-testid=recalled-lots]").TextContent.ShouldContain("L2391");
        await using (var db = Db.Open())
        {
            (await db.Batches.CountAsync(b => b.Quarantined)).ShouldBe(2, "every outlet's batch of the lot");
            (await db.Lots.SingleAsync()).ChangedBy.ShouldBe(UserName);
        }

        await page.ChangeOnAsync("[data-testid=lot-reason-field]", "Alert withdrawn");
        await page.ClickOnAsync("[data-testid=lot-status-submit]");
        page.WaitForAssertion(() => page.Find("[data-testid=lot-status]").TextContent.ShouldContain("Active"), Wait);
        page.WaitForElement("[data-testid=recalled-empty]", Wait);
        await using (var db = Db.Open())
            (await db.Batches.CountAsync(b => b.Quarantined)).ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_lot_or_product_is_said_on_the_page()
    {
        RenderProviders();
        var page = Render<RecallsPage>();
        page.WaitForElement("[data-testid=lot-show]", Wait);
        await page.ChangeOnAsync("[data-testid=lot-code]", "PARA-500-16");
        await page.ChangeOnAsync("[data-testid=lot-number]", "NOPE");
        await page.ClickOnAsync("[data-testid=lot-show]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("Lot 'NOPE' of PARA-500-16 was never received."), Wait);

        await page.ChangeOnAsync("[data-testid=lot-code]", "NO-SUCH");
        await page.ClickOnAsync("[data-testid=lot-show]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("No product has the SKU or barcode 'NO-SUCH'."), Wait);
        page.FindAll("[data-testid=lot-trace]").ShouldBeEmpty();
    }
}
