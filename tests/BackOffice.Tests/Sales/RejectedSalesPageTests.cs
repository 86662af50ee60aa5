using BackOffice.Core.Sales;
using BackOffice.Tests.Support;
using BackOffice.Web.Sales;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>/sales/rejected: a manager sees what the tills sold that the server refused, corrects it and records it, or writes it off.</summary>
public sealed class RejectedSalesPageTests : PageTest
{
    private readonly Guid _priced = Guid.NewGuid(), _unknown = Guid.NewGuid();

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        db.Outlets.Add(outlet);
        var product = Make.Product();
        product.Sku = "PARA-500-16";
        db.Products.Add(product);
        await db.SaveChangesAsync();
        var batch = Make.Batch(outlet, product, 10, DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddDays(90));
        db.Batches.Add(batch);
        db.Movements.Add(BackOffice.Core.Inventory.StockMovement.For(batch, BackOffice.Core.Inventory.MovementKind.Receipt, 10, batch.ReceivedAt, "test"));
        await db.SaveChangesAsync();
        var queue = new RejectedSales(db, new SaleRecorder(db, Clock, BackOffice.Core.Inventory.NoStockChangeNotifier.Instance), Clock);
        var at = Clock.GetUtcNow().AddHours(-1).ToString("O");
        await queue.HoldAsync(new RejectedSaleHold(_priced, outlet.Id, null,
            $$"""{"saleId":"{{_priced}}","occurredAt":"{{at}}","lines":[{"sku":"PARA-500-16","quantity":2,"unitPrice":3.495}]}""",
            "sync", "The sale is not valid.", """{"lines[0].unitPrice":["unitPrice has more than 2 decimals."]}""", 400));
        await queue.HoldAsync(new RejectedSaleHold(_unknown, outlet.Id, null,
            $$"""{"saleId":"{{_unknown}}","occurredAt":"{{at}}","lines":[{"sku":"GONE-1","quantity":1,"unitPrice":1}]}""",
            "sync", "The sale is not valid.", """{"lines[0].sku":["Unknown sku 'GONE-1'."]}""", 400));
    }

    [Fact]
    public async Task A_manager_corrects_the_price_and_records_the_sale_then_writes_off_the_other_with_a_reason()
    {
        RenderProviders();
        var page = Render<RejectedSalesPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=rejected-settle]").Count.ShouldBe(2), Wait);
        page.Markup.ShouldContain("unitPrice has more than 2 decimals.");
        page.Markup.ShouldContain("2 × PARA-500-16");

        var rows = page.FindAll("[data-testid=rejected-sales] tbody tr");
        var pricedRow = rows.Single(r => r.TextContent.Contains("PARA-500-16"));
        pricedRow.QuerySelector("[data-testid=rejected-settle]")!.Click();
        page.WaitForElement("[data-testid=rejected-form]", Wait);

        // As the till sent it: refused again, the field says why, nothing recorded.
        await page.ClickOnAsync("[data-testid=rejected-record]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("unitPrice has more than 2 decimals."), Wait);
        await using (var db = Db.Open()) (await db.Sales.CountAsync()).ShouldBe(0);

        await page.ChangeOnAsync("[data-testid=rejected-line-price]", "3.50");
        await page.ChangeOnAsync("[data-testid=rejected-note]", "price corrected to 3.50");
        await page.ClickOnAsync("[data-testid=rejected-record]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=rejected-settle]").Count.ShouldBe(1), Wait);
        await using (var db = Db.Open())
        {
            var line = await db.SaleLines.SingleAsync(l => l.SaleId == _priced);
            (line.Quantity, line.UnitPrice).ShouldBe((2, 3.50m));
        }

        await page.ClickOnAsync("[data-testid=rejected-settle]");
        page.WaitForElement("[data-testid=rejected-form]", Wait);
        await page.ClickOnAsync("[data-testid=rejected-write-off]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("Say why this sale is written off"), Wait);
        await page.ChangeOnAsync("[data-testid=rejected-note]", "product withdrawn; counted by hand");
        await page.ClickOnAsync("[data-testid=rejected-write-off]");
        page.WaitForElement("[data-testid=rejected-empty]", Wait);

        await using var check = Db.Open();
        (await RejectedSales.OpenCountAsync(check)).ShouldBe(0);
        var settled = await check.RejectedSales.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        settled.Select(r => r.Status).ShouldBe([RejectedSaleStatus.Recorded, RejectedSaleStatus.WrittenOff]);
        settled[1].SettlementNote.ShouldBe("product withdrawn; counted by hand");
        settled.ShouldAllBe(r => r.SettledBy == UserName);
        (await check.Sales.CountAsync()).ShouldBe(1);
    }
}
