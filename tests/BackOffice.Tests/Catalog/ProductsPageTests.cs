using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Catalog;

public sealed class ProductsPageTests : PageTest
{
    private Core.Outlets.Outlet _outlet = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        _outlet = Make.Outlet("LDN-01");
        var low = Make.Product("ASP-100");
        low.Name = "Aspirin 100 mg";
        low.ReorderLevel = 10;
        var soon = Make.Product("IBU-200");
        soon.Name = "Ibuprofen 200 mg";
        soon.ReorderLevel = 0;
        db.AddRange(_outlet, low, soon);
        db.Batches.Add(Make.Batch(_outlet, low, 4, new DateOnly(2027, 6, 30)));
        db.Batches.Add(Make.Batch(_outlet, soon, 40, DateOnly.FromDateTime(Make.Now).AddDays(12)));
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Lists_products_with_stock_and_low_stock_and_near_expiry_badges()
    {
        RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=products-grid] tbody tr").Count.ShouldBe(2), Wait);

        var rows = page.FindAll("[data-testid=products-grid] tbody tr");
        var aspirin = rows.Single(r => r.TextContent.Contains("ASP-100"));
        aspirin.QuerySelector("[data-testid=badge-low]").ShouldNotBeNull();
        aspirin.QuerySelector("[data-testid=badge-expiry]").ShouldBeNull();
        aspirin.TextContent.ShouldContain("Aspirin 100 mg");
        var ibu = rows.Single(r => r.TextContent.Contains("IBU-200"));
        ibu.QuerySelector("[data-testid=badge-low]").ShouldBeNull();
        ibu.QuerySelector("[data-testid=badge-expiry]").ShouldNotBeNull();
        ibu.QuerySelector("[data-testid=product-link]")!.GetAttribute("href").ShouldBe("/catalog/products/IBU-200");
    }

    [Fact]
    public void Search_narrows_the_grid_and_says_when_nothing_matches()
    {
        RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=products-grid] tbody tr").Count.ShouldBe(2), Wait);

        page.Find("[data-testid=products-search]").Input("Ibuprofen");
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Select(a => a.TextContent).ShouldBe(["IBU-200"]), Wait);
        page.Find("[data-testid=products-search]").Input("nothing-like-this");
        page.WaitForAssertion(() => page.Find("[data-testid=products-empty]").TextContent.ShouldContain("nothing-like-this"), Wait);
    }

    [Fact]
    public async Task Creating_a_product_saves_it_and_a_taken_sku_is_reported_on_the_field()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Count.ShouldBe(2), Wait);

        await page.ClickOnAsync("[data-testid=product-new]");
        dialogs.WaitForElement("[data-testid=product-sku]", Wait);
        await dialogs.ChangeOnAsync("[data-testid=product-sku]", "ASP-100");
        await dialogs.ChangeOnAsync("[data-testid=product-name]", "Another aspirin");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=product-dialog]").TextContent.ShouldContain("Another product has the sku 'ASP-100'."), Wait);

        await dialogs.ChangeOnAsync("[data-testid=product-sku]", "PARA-500");
        await dialogs.ChangeOnAsync("[data-testid=product-barcode]", "5000000000012");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Select(a => a.TextContent).ShouldContain("PARA-500"), Wait);
        Snackbars.Markup.ShouldContain("Product PARA-500 created.");

        await using var db = Db.Open();
        var saved = await db.Products.SingleAsync(p => p.Sku == "PARA-500");
        saved.ShouldSatisfyAllConditions(p => p.Name.ShouldBe("Another aspirin"), p => p.Barcode.ShouldBe("5000000000012"), p => p.Active.ShouldBeTrue());
    }

    [Fact]
    public async Task Deactivating_asks_first_then_marks_the_product_inactive()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-deactivate]").Count.ShouldBe(2), Wait);

        // Found and clicked in one dispatch: the grid may draw its rows again in between otherwise.
        await page.InvokeAsync(() => page.FindAll("[data-testid=products-grid] tbody tr").Single(r => r.TextContent.Contains("ASP-100"))
            .QuerySelector("[data-testid=product-deactivate]")!.Click());
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Deactivate ASP-100?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Deactivate").Click();

        page.WaitForAssertion(() => page.FindAll("[data-testid=badge-inactive]").Count.ShouldBe(1), Wait);
        await using var db = Db.Open();
        (await db.Products.SingleAsync(p => p.Sku == "ASP-100")).Active.ShouldBeFalse();
        (await db.Products.SingleAsync(p => p.Sku == "IBU-200")).Active.ShouldBeTrue();
    }
}
