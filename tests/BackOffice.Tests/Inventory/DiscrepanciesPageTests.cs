using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class DiscrepanciesPageTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        var product = Make.Product("IBU-200");
        db.AddRange(outlet, product);
        await db.SaveChangesAsync();
        db.Discrepancies.AddRange(
            new Discrepancy { OutletId = outlet.Id, ProductId = product.Id, Kind = DiscrepancyKind.SaleShortfall, Quantity = 2, Reference = "sale:abc", CreatedAt = Make.Now },
            new Discrepancy { OutletId = outlet.Id, ProductId = product.Id, Kind = DiscrepancyKind.ReturnRejected, Quantity = 1, Reference = "return:def", CreatedAt = Make.Now.AddHours(-1), Status = DiscrepancyStatus.Resolved, Note = "done" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Open_ones_are_listed_and_resolving_needs_a_note_then_records_who()
    {
        RenderProviders();
        var page = Render<DiscrepanciesPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=discrepancy-status]").Count.ShouldBe(1), Wait);
        page.Find("[data-testid=discrepancies] tbody").TextContent.ShouldContain("Sold beyond stock");

        await page.ClickOnAsync("[data-testid=discrepancy-act]");
        page.WaitForElement("[data-testid=discrepancy-resolve]", Wait);
        await page.ClickOnAsync("[data-testid=discrepancy-resolve]");
        page.WaitForAssertion(() => page.Find("[data-testid=discrepancy-form]").TextContent.ShouldContain("Say how it was resolved."), Wait);

        await page.ChangeOnAsync("[data-testid=discrepancy-note]", "Counted shelf: 2 found in back room, adjusted.");
        await page.ClickOnAsync("[data-testid=discrepancy-resolve]");
        page.WaitForElement("[data-testid=discrepancies-empty]", Wait);

        await using var db = Db.Open();
        var d = await db.Discrepancies.SingleAsync(x => x.Reference == "sale:abc");
        d.ShouldSatisfyAllConditions(x => x.Status.ShouldBe(DiscrepancyStatus.Resolved), x => x.ResolvedBy.ShouldBe(UserName),
            x => x.Note.ShouldBe("Counted shelf: 2 found in back room, adjusted."), x => x.ResolvedAt.ShouldNotBeNull());
    }

    [Fact]
    public async Task Marking_investigated_keeps_it_unresolved_with_the_note()
    {
        RenderProviders();
        var page = Render<DiscrepanciesPage>();
        page.WaitForElement("[data-testid=discrepancy-act]", Wait);
        await page.ClickOnAsync("[data-testid=discrepancy-act]");
        page.WaitForElement("[data-testid=discrepancy-note]", Wait);
        await page.ChangeOnAsync("[data-testid=discrepancy-note]", "Asked the till operator");
        await page.ClickOnAsync("[data-testid=discrepancy-investigated]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=discrepancy-form]").ShouldBeEmpty(), Wait);

        await using var db = Db.Open();
        var d = await db.Discrepancies.SingleAsync(x => x.Reference == "sale:abc");
        d.ShouldSatisfyAllConditions(x => x.Status.ShouldBe(DiscrepancyStatus.Investigated), x => x.Note.ShouldBe("Asked the till operator"), x => x.ResolvedAt.ShouldBeNull());
    }
}
