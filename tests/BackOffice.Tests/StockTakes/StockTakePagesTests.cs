using BackOffice.Core.Inventory;
using BackOffice.Core.StockTakes;
using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using BackOffice.Web.StockTakes;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.StockTakes;

public sealed class StockTakePagesTests : PageTest
{
    private Core.Outlets.Outlet _outlet = null!;
    private Batch _early = null!, _late = null!, _gauze = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        _outlet = Make.Outlet("LDN-01");
        var ibu = Make.Product("IBU-200", "5000000000017");
        var gauze = Make.Product("GAUZE", "5000000000024");
        _early = Make.Batch(_outlet, ibu, 5, new DateOnly(2027, 1, 31));
        _late = Make.Batch(_outlet, ibu, 7, new DateOnly(2027, 9, 30));
        _gauze = Make.Batch(_outlet, gauze, 4, new DateOnly(2028, 1, 1));
        db.AddRange(_outlet, ibu, gauze, _early, _late, _gauze);
        await db.SaveChangesAsync();
        db.Movements.AddRange(new[] { _early, _late, _gauze }.Select(b => StockMovement.For(b, MovementKind.Receipt, b.OnHand, Make.Now.AddDays(-1), "r")));
        await db.SaveChangesAsync();
    }

    private async Task<int> OpenTakeAsync(bool blind)
    {
        await using var db = Db.Open();
        return await new StockTakeService(db, Clock, NoStockChangeNotifier.Instance).OpenStockTakeAsync(new OpenStockTake(_outlet.Id, null, blind), "manager");
    }

    [Fact]
    public async Task The_list_opens_a_take_from_the_dialog_and_goes_to_its_count_page()
    {
        var dialogs = RenderProviders();
        var page = Render<StockTakesPage>();
        page.WaitForElement("[data-testid=stocktakes-empty]", Wait);

        await page.ClickOnAsync("[data-testid=stocktake-open]");
        dialogs.WaitForElement("[data-testid=open-submit]", Wait);
        dialogs.WaitForElement("[data-testid=open-note]", Wait);
        await dialogs.ChangeOnAsync("[data-testid=open-note]", "Year end");
        await dialogs.ClickOnAsync("[data-testid=open-submit]");

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => navigation.Uri.ShouldEndWith("/stock-takes/1"), Wait);
        await using var db = Db.Open();
        var take = await db.StockTakes.SingleAsync();
        take.ShouldSatisfyAllConditions(t => t.Note.ShouldBe("Year end"), t => t.OpenedBy.ShouldBe(UserName), t => t.Status.ShouldBe(StockTakeStatus.Open));
        (await db.StockTakeLines.CountAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task Counting_with_the_scanner_refusing_a_second_no_lot_line_and_posting_after_confirmation()
    {
        var id = await OpenTakeAsync(blind: false);
        var dialogs = RenderProviders();
        var page = Render<StockTakePage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=count-entry]", Wait);
        page.FindAll("[data-testid=line-expected]").Select(e => e.TextContent.Trim()).ShouldBe(["4", "5", "7"]);

        // Scanner: barcode, Enter, quantity, Enter. Ibuprofen without lot: 9 of the 12 expected.
        page.Find("[data-testid=count-code]").Input("5000000000017");
        page.Find("[data-testid=count-code]").KeyUp("Enter");
        page.Find("[data-testid=count-quantity]").Input("9");
        page.Find("[data-testid=count-quantity]").KeyUp("Enter");
        page.WaitForAssertion(() => page.FindAll("[data-testid=count-lines] tbody tr").Count.ShouldBe(4), Wait);
        Snackbars.Markup.ShouldContain("Counted 9 × IBU-200 (no lot).");

        // The same product again without a lot: the database refuses, the page says what to do.
        page.Find("[data-testid=count-code]").Input("IBU-200");
        page.Find("[data-testid=count-quantity]").Input("3");
        page.Find("[data-testid=count-quantity]").KeyUp("Enter");
        page.WaitForAssertion(() => page.Find("[data-testid=count-entry]").TextContent.ShouldContain("IBU-200 is already counted without a lot in this stock take"), Wait);

        // Gauze by lot, 10 where 4 were expected; then flag recounts over 2 units.
        page.Find("[data-testid=count-code]").Input("GAUZE");
        page.Find("[data-testid=count-lot]").Input(_gauze.LotNumber!);
        page.Find("[data-testid=count-quantity]").Input("10");
        await page.ClickOnAsync("[data-testid=count-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=line-counted]").Count(e => e.GetAttribute("value") == "10").ShouldBe(1), Wait);
        await page.ClickOnAsync("[data-testid=recount-flag]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=line-recount]").Count.ShouldBe(2), Wait);

        // Review: ibuprofen −3 from the earliest lot, gauze +6 at 2.50 a unit.
        await page.ClickOnAsync("[data-testid=review-load]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=variance-change]").Select(e => e.TextContent.Trim()).ShouldBe(["+6", "-3"]), Wait);
        page.Find("[data-testid=variance-total]").TextContent.Trim().ShouldBe(Formats.User.Money(7.5m, "GBP"));

        await page.ClickOnAsync("[data-testid=stocktake-post]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain($"Post stock take #{id}?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Post").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=stocktake-status]").TextContent.ShouldContain("Posted"), Wait);
        page.FindAll("[data-testid=stocktake-post]").ShouldBeEmpty();
        page.FindAll("[data-testid=count-entry]").ShouldBeEmpty();
        // The posted changes stay on the page, from the ledger.
        page.FindAll("[data-testid=variance-change]").Select(e => e.TextContent.Trim()).ShouldBe(["+6", "-3"]);
        page.Find("[data-testid=variance-total]").TextContent.Trim().ShouldBe(Formats.User.Money(7.5m, "GBP"));

        await using var db = Db.Open();
        (await db.Batches.SingleAsync(b => b.Id == _early.Id)).OnHand.ShouldBe(2);
        (await db.Batches.SingleAsync(b => b.Id == _late.Id)).OnHand.ShouldBe(7);
        (await db.Batches.SingleAsync(b => b.Id == _gauze.Id)).OnHand.ShouldBe(10);
        (await db.Movements.CountAsync(m => m.Kind == MovementKind.StockTake && m.Reference == $"stocktake:{id}")).ShouldBe(2);
    }

    [Fact]
    public async Task Blind_mode_hides_expected_and_stock_moved_during_the_count_is_warned_and_refreshed()
    {
        var id = await OpenTakeAsync(blind: true);
        Clock.Now = Clock.Now.AddMinutes(10);
        await using (var db = Db.Open())
            await new InventoryService(db, Clock, NoStockChangeNotifier.Instance).AdjustAsync(_late.Id, -2, AdjustmentReason.Damage, null, "someone");

        RenderProviders();
        var page = Render<StockTakePage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=count-entry]", Wait);
        page.FindAll("[data-testid=line-expected]").ShouldBeEmpty();
        page.Find("[data-testid=stocktake-moved]").TextContent.ShouldContain("IBU-200 (-2 in 1 movement)");

        Clock.Now = Clock.Now.AddMinutes(1);
        await page.ClickOnAsync("[data-testid=stocktake-refresh]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=stocktake-moved]").ShouldBeEmpty(), Wait);
        await using var check = Db.Open();
        (await check.StockTakeLines.SingleAsync(l => l.BatchId == _late.Id)).Expected.ShouldBe(5);
    }

    [Fact]
    public async Task Cancelling_asks_first_and_leaves_the_stock_alone()
    {
        var id = await OpenTakeAsync(blind: false);
        var dialogs = RenderProviders();
        var page = Render<StockTakePage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=stocktake-cancel]", Wait);
        await page.ClickOnAsync("[data-testid=stocktake-cancel]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain($"Cancel stock take #{id}?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel stock take").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=stocktake-status]").TextContent.ShouldContain("Cancelled"), Wait);
        await using var db = Db.Open();
        (await db.StockTakes.SingleAsync()).Status.ShouldBe(StockTakeStatus.Cancelled);
        (await db.Movements.CountAsync(m => m.Kind == MovementKind.StockTake)).ShouldBe(0);
    }
}
