using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class TransfersPageTests : PageTest
{
    private Batch _early = null!, _late = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var ldn = Make.Outlet("LDN-01");
        var par = Make.Outlet("PAR-01");
        var product = Make.Product("IBU-200", "5000000000017");
        _early = Make.Batch(ldn, product, 5, new DateOnly(2027, 1, 31));
        _late = Make.Batch(ldn, product, 20, new DateOnly(2027, 9, 30));
        db.AddRange(ldn, par, product, _early, _late);
        await db.SaveChangesAsync();
        db.Movements.AddRange(StockMovement.For(_early, MovementKind.Receipt, 5, Make.Now, "r"), StockMovement.For(_late, MovementKind.Receipt, 20, Make.Now, "r"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Preview_shows_the_FEFO_batches_and_confirming_moves_them()
    {
        var dialogs = RenderProviders();
        var page = Render<TransfersPage>();
        page.WaitForElement("[data-testid=transfer-line]", Wait);

        await page.ChangeOnAsync("[data-testid=transfer-code]", "5000000000017");
        await page.ChangeOnAsync("[data-testid=transfer-quantity]", "8");
        await page.ClickOnAsync("[data-testid=transfer-preview]");
        page.WaitForElement("[data-testid=transfer-plan]", Wait);
        var plan = page.FindAll("[data-testid=transfer-plan] tbody tr");
        plan.Count.ShouldBe(2);
        plan[0].TextContent.ShouldContain("2027-01-31");
        plan[0].TextContent.ShouldContain("5");
        plan[1].TextContent.ShouldContain("2027-09-30");
        plan[1].TextContent.ShouldContain("3");

        await page.ClickOnAsync("[data-testid=transfer-confirm]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Move 8 units from LDN-01 to PAR-01?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Transfer").Click();
        page.WaitForAssertion(() => page.FindAll("[data-testid=recent-transfers] tbody tr").Single().TextContent.ShouldContain("PAR-01"), Wait);
        page.Find("[data-testid=recent-transfers] tbody tr").TextContent.ShouldContain("8");

        await using var db = Db.Open();
        (await db.Batches.SingleAsync(b => b.Id == _early.Id)).OnHand.ShouldBe(0);
        (await db.Batches.SingleAsync(b => b.Id == _late.Id)).OnHand.ShouldBe(17);
        (await db.Batches.Where(b => b.Outlet.Code == "PAR-01").SumAsync(b => b.OnHand)).ShouldBe(8);
    }

    [Fact]
    public async Task More_than_the_stock_is_refused_on_the_quantity_field()
    {
        RenderProviders();
        var page = Render<TransfersPage>();
        page.WaitForElement("[data-testid=transfer-line]", Wait);

        await page.ChangeOnAsync("[data-testid=transfer-code]", "IBU-200");
        await page.ChangeOnAsync("[data-testid=transfer-quantity]", "30");
        await page.ClickOnAsync("[data-testid=transfer-preview]");
        page.WaitForAssertion(() => page.Find("[data-testid=transfer-line]").TextContent.ShouldContain("Only 25 of 'IBU-200' can be moved from LDN-01."), Wait);
        page.FindAll("[data-testid=transfer-plan]").ShouldBeEmpty();
        page.Find("[data-testid=transfer-confirm]").HasAttribute("disabled").ShouldBeTrue();
        await using var db = Db.Open();
        (await db.Transfers.CountAsync()).ShouldBe(0);
    }
}
