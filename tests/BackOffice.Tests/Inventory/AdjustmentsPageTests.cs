using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class AdjustmentsPageTests : PageTest
{
    private Batch _batch = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        var product = Make.Product("IBU-200", "5000000000017");
        _batch = Make.Batch(outlet, product, 10);
        db.AddRange(outlet, product, _batch);
        await db.SaveChangesAsync();
        db.Movements.Add(StockMovement.For(_batch, MovementKind.Receipt, 10, Make.Now, "r"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Finds_the_batches_by_barcode_and_adjusts_one_with_its_reason()
    {
        var dialogs = RenderProviders();
        var page = Render<AdjustmentsPage>();
        page.WaitForElement("[data-testid=recent-adjustments]", Wait);

        page.Find("[data-testid=adjust-code]").Input("nope");
        await page.ClickOnAsync("[data-testid=adjust-find]");
        page.WaitForAssertion(() => string.Concat(page.Nodes.Select(n => n.TextContent)).ShouldContain("No product has the SKU or barcode 'nope'."), Wait);

        page.Find("[data-testid=adjust-code]").Input("5000000000017");
        page.Find("[data-testid=adjust-code]").KeyUp("Enter");
        page.WaitForElement("[data-testid=batch-adjust]", Wait);
        await page.ClickOnAsync("[data-testid=batch-adjust]");
        dialogs.WaitForElement("[data-testid=adjust-quantity]", Wait);
        await dialogs.ChangeOnAsync("[data-testid=adjust-quantity]", "3");
        await page.InvokeAsync(() => dialogs.FindComponent<MudBlazor.MudSelect<AdjustmentReason?>>().Instance.SelectOption(AdjustmentReason.Found));
        await dialogs.ClickOnAsync("[data-testid=adjust-save]");
        page.WaitForAssertion(() => page.Find("[data-testid=recent-adjustments] tbody tr").TextContent.ShouldContain("found"), Wait);

        await using var db = Db.Open();
        (await db.Batches.SingleAsync()).OnHand.ShouldBe(13);
        (await db.Movements.SingleAsync(m => m.Kind == MovementKind.Adjustment)).Quantity.ShouldBe(3);
    }
}
