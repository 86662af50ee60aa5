using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class DisposalPageTests : PageTest
{
    private Batch _old = null!, _recent = null!, _sellable = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var ldn = Make.Outlet("LDN-01");
        var par = Make.Outlet("PAR-01");
        var para = Make.Product("PARA-500-16");
        var ibu = Make.Product("IBU-200");
        // The clock says 24 November 2026: these two expired, the third is sellable.
        _old = Make.Batch(ldn, para, 6, new DateOnly(2026, 10, 31));
        _recent = Make.Batch(ldn, ibu, 4, new DateOnly(2026, 11, 23));
        _sellable = Make.Batch(ldn, para, 9, new DateOnly(2027, 3, 31));
        db.AddRange(ldn, par, para, ibu, _old, _recent, _sellable);
        await db.SaveChangesAsync();
        db.Movements.AddRange(StockMovement.For(_old, MovementKind.Receipt, 6, Make.Now, "r"), StockMovement.For(_recent, MovementKind.Receipt, 4, Make.Now, "r"),
            StockMovement.For(_sellable, MovementKind.Receipt, 9, Make.Now, "r"));
        await db.SaveChangesAsync();
    }

    private async Task<IRenderedComponent<DisposalPage>> ListedAsync()
    {
        var page = Render<DisposalPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=disposal-row]").Count.ShouldBe(2), Wait);
        await Task.CompletedTask;
        return page;
    }

    [Fact]
    public async Task The_outlets_expired_stock_is_listed_and_the_chosen_units_are_disposed_of_with_their_document()
    {
        var dialogs = RenderProviders();
        var page = await ListedAsync();
        page.Find("[data-testid=disposal-summary]").TextContent.ShouldContain("2 batches, 10 units at LDN-01");
        var rows = page.FindAll("[data-testid=disposal-list] tbody tr");
        rows[0].TextContent.ShouldContain(_old.LotNumber!);
        rows[0].TextContent.ShouldContain("Expired");
        rows[1].TextContent.ShouldContain(_recent.LotNumber!);
        page.Markup.ShouldNotContain(_sellable.LotNumber!);
        page.Find("[data-testid=disposal-confirm]").HasAttribute("disabled").ShouldBeTrue("nothing chosen yet");

        // Both batches, 2 of the first; destroyed under a certificate.
        await page.ChangeOnAsync("[data-testid=disposal-choose-page]", true);
        page.WaitForAssertion(() => page.FindAll("[data-testid=disposal-quantity]").Count.ShouldBe(2), Wait);
        await page.ChangeOnAsync("[data-testid=disposal-quantity]", "2");
        await page.InvokeAsync(() => page.Find("[data-testid=disposal-outcome]").ParentElement!.ParentElement!.MouseDown());
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").ShouldContain(i => i.TextContent.Contains("Destroyed")), Wait);
        await Popovers.InvokeAsync(() => Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Contains("Destroyed")).Click());
        page.WaitForAssertion(() => page.Markup.ShouldContain("Destruction certificate number"), Wait);
        await page.ChangeOnAsync("[data-testid=disposal-reference]", "DC-2026-118");
        await page.ClickOnAsync("[data-testid=disposal-confirm]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Take 6 units of 2 batches off the shelf at LDN-01 for good (destroyed, DC-2026-118)?"), Wait);
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Dispose").Click());

        page.WaitForElement("[data-testid=disposal-done]", Wait).TextContent.ShouldContain("6 units of 2 batches left the shelf");
        page.WaitForAssertion(() => page.FindAll("[data-testid=disposal-row]").Count.ShouldBe(1), Wait);
        page.Find("[data-testid=disposal-summary]").TextContent.ShouldContain("1 batch, 4 units at LDN-01");
        page.WaitForAssertion(() => page.Find("[data-testid=recent-disposals] tbody").TextContent.ShouldContain("DC-2026-118"), Wait);
        Snackbars.WaitForAssertion(() => Snackbars.Markup.ShouldContain("6 units of 2 batches disposed of at LDN-01."), Wait);

        await using var db = Db.Open();
        var onHand = await db.Batches.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.OnHand);
        (onHand[_old.Id], onHand[_recent.Id], onHand[_sellable.Id]).ShouldBe((4, 0, 9));
        var disposal = await db.Disposals.SingleAsync();
        (disposal.Outcome, disposal.Reference, disposal.CreatedBy).ShouldBe((DisposalOutcome.Destroyed, "DC-2026-118", UserName));
        page.Find("[data-testid=disposal-document]").GetAttribute("href").ShouldBe($"/inventory/disposals/{disposal.Id}");

        // The document the ledger links to.
        var document = Render<StockDocumentPage>(p => p.Add(x => x.DisposalId, disposal.Id));
        document.WaitForElement("[data-testid=document-summary]", Wait).TextContent.ShouldContain("Destroyed, certificate DC-2026-118");
        document.Find("[data-testid=document-title]").TextContent.ShouldStartWith("Disposal ");
        document.FindAll("[data-testid=document-lines] tbody tr").Count.ShouldBe(2);
        MovementReferenceLink.Href(MovementReference.Disposal(disposal.Id)).ShouldBe($"/inventory/disposals/{disposal.Id}");
    }

    [Fact]
    public async Task Without_a_reference_it_is_refused_on_the_field_and_nothing_leaves()
    {
        var dialogs = RenderProviders();
        var page = await ListedAsync();
        await page.ChangeOnAsync("[data-testid=disposal-choose]", true);
        await page.ClickOnAsync("[data-testid=disposal-confirm]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Take 6 units of 1 batch"), Wait);
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Dispose").Click());

        page.WaitForAssertion(() => page.Markup.ShouldContain("return authorisation (RMA) number: it proves where the stock went."), Wait);
        page.FindAll("[data-testid=disposal-done]").ShouldBeEmpty();
        await using var db = Db.Open();
        (await db.Disposals.CountAsync()).ShouldBe(0);
        (await db.Batches.SumAsync(b => b.OnHand)).ShouldBe(19);
    }

    [Fact]
    public async Task A_batch_disposed_of_meanwhile_is_refused_on_its_row()
    {
        var dialogs = RenderProviders();
        var page = await ListedAsync();
        await page.ChangeOnAsync("[data-testid=disposal-choose]", true);
        await page.ChangeOnAsync("[data-testid=disposal-reference]", "RMA-7");

        // Another manager takes the whole batch off the shelf first.
        await using (var db = Db.Open())
            await new DisposalService(db, Clock, NoStockChangeNotifier.Instance).DisposeAsync(
                new DisposeGoods("LDN-01", [new DisposeLine(_old.Id)], DisposalOutcome.ReturnedToSupplier, "RMA-6"), "other manager");

        await page.ClickOnAsync("[data-testid=disposal-confirm]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Take 6 units of 1 batch"), Wait);
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Dispose").Click());

        page.WaitForAssertion(() => page.Find("[data-testid=disposal-list] tbody tr").TextContent.ShouldContain("already disposed of"), Wait);
        Snackbars.WaitForAssertion(() => Snackbars.Markup.ShouldContain("not on LDN-01"), Wait);
        await using var check = Db.Open();
        (await check.Disposals.CountAsync()).ShouldBe(1);
        (await check.Batches.SingleAsync(b => b.Id == _old.Id)).OnHand.ShouldBe(0);
    }
}
