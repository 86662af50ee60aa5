using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Catalog;

/// <summary>The product form's other barcodes, and the pickers that find a product by name, sku or any barcode as it is typed.</summary>
public sealed class ProductBarcodePagesTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var aspirin = Make.Product("ASP-100", "5012345678900");
        aspirin.Name = "Aspirin 100 mg";
        aspirin.SetBarcodes("5012345678900", ["036000291452"]);
        var ibuprofen = Make.Product("IBU-200");
        ibuprofen.Name = "Ibuprofen 200 mg";
        db.AddRange(Make.Outlet("LDN-01"), aspirin, ibuprofen);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_form_saves_other_barcodes_and_shows_a_taken_one_or_a_bad_check_digit_on_their_field()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Count.ShouldBe(2), Wait);

        await page.ClickOnAsync("[data-testid=product-new]");
        dialogs.WaitForElement("[data-testid=product-sku]", Wait);
        await dialogs.ChangeOnAsync("[data-testid=product-sku]", "GAUZE");
        await dialogs.ChangeOnAsync("[data-testid=product-name]", "Gauze swabs");
        // Aspirin's second barcode, written as its GTIN-14.
        await dialogs.ChangeOnAsync("[data-testid=product-barcodes]", "SUP-9\n00036000291452");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=product-dialog]").TextContent.ShouldContain("The barcode '00036000291452' belongs to ASP-100."), Wait);

        await dialogs.ChangeOnAsync("[data-testid=product-barcodes]", "SUP-9 5012345678901");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=product-dialog]").TextContent.ShouldContain("wrong check digit"), Wait);

        await dialogs.ChangeOnAsync("[data-testid=product-barcodes]", "SUP-9\n96385074");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Select(a => a.TextContent).ShouldContain("GAUZE"), Wait);
        await using var db = Db.Open();
        (await db.ProductBarcodes.Where(b => b.Product.Sku == "GAUZE").OrderBy(b => b.Code).Select(b => b.Code).ToListAsync()).ShouldBe(["96385074", "SUP-9"]);
    }

    [Fact]
    public async Task The_receive_form_offers_the_products_a_typed_name_or_second_barcode_finds_and_takes_the_one_chosen()
    {
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=line-code]", Wait);

        await page.InvokeAsync(() => page.Find("[data-testid=line-code]").Input("ibupro"));
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-choice]").ShouldHaveSingleItem().TextContent.ShouldContain("IBU-200"), Wait);
        await page.ClickOnAsync("[data-testid=product-choice]");
        page.WaitForAssertion(() => page.Find("[data-testid=line-code]").GetAttribute("value").ShouldBe("IBU-200"), Wait);
        page.FindAll("[data-testid=product-choice]").ShouldBeEmpty();

        await page.InvokeAsync(() => page.Find("[data-testid=line-code]").Input("0036000291452"));
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-choice]").ShouldHaveSingleItem().TextContent.ShouldContain("ASP-100"), Wait);
    }

    [Fact]
    public async Task Adjustments_find_a_product_by_its_second_barcode_in_another_gtin_spelling()
    {
        var page = Render<AdjustmentsPage>();
        page.WaitForElement("[data-testid=recent-adjustments]", Wait);
        await page.InvokeAsync(() => page.Find("[data-testid=adjust-code]").Input("00036000291452"));
        await page.ClickOnAsync("[data-testid=adjust-find]");
        page.WaitForAssertion(() => page.Find("[data-testid=adjust-batches]").TextContent.ShouldContain("ASP-100 — Aspirin 100 mg"), Wait);
    }
}
