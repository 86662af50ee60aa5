using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Catalog;

public sealed class ProductImportDialogTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        var existing = Make.Product("IBU-200", barcode: "5000000000012");
        existing.Name = "Ibuprofen";
        db.AddRange(outlet, existing);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_preview_shows_each_rows_fate_and_the_import_writes_only_the_valid_rows()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForElement("[data-testid=product-import]", Wait);
        await page.ClickOnAsync("[data-testid=product-import]");
        dialogs.WaitForElement("[data-testid=import-dialog]", Wait);

        const string csv = "sku,name,price,barcode,reorderLevel\n" +
                           "IBU-200,Ibuprofen 200 mg,4.75,5000000000029,12\n" +
                           "PARA-500,Paracetamol 500 mg,1.20,,\n" +
                           "BAD-1,Bad price,abc,,\n" +
                           "CLASH-1,Clash,1.00,5000000000012,\n";
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "products.csv"));

        dialogs.WaitForAssertion(() => dialogs.FindAll("[data-testid=import-preview] tbody tr").Count.ShouldBe(4), Wait);
        var statuses = dialogs.FindAll("[data-testid=import-status]").Select(s => s.TextContent.Trim()).ToList();
        statuses[0].ShouldBe("Update");
        statuses[1].ShouldBe("New");
        statuses[2].ShouldContain("price 'abc' is not a number");
        statuses[3].ShouldContain("The barcode '5000000000012' belongs to IBU-200.");
        dialogs.Find("[data-testid=import-run]").TextContent.ShouldContain("Import 2 valid rows");

        await dialogs.ClickOnAsync("[data-testid=import-run]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=import-summary]").TextContent.ShouldContain("Created 1, updated 1, failed 0."), Wait);
        dialogs.Find("[data-testid=import-progress-text]").TextContent.ShouldContain("2 / 2 rows");

        await using (var db = Db.Open())
        {
            var products = await db.Products.ToDictionaryAsync(p => p.Sku);
            products.Keys.ShouldBe(["IBU-200", "PARA-500"], ignoreOrder: true);
            products["IBU-200"].ShouldSatisfyAllConditions(p => p.Name.ShouldBe("Ibuprofen 200 mg"), p => p.Price.ShouldBe(4.75m), p => p.ReorderLevel.ShouldBe(12), p => p.Barcode.ShouldBe("5000000000029"));
            products["PARA-500"].Price.ShouldBe(1.20m);
        }

        await dialogs.ClickOnAsync("[data-testid=import-close]");
        Snackbars.WaitForAssertion(() => Snackbars.Markup.ShouldContain("Import: 1 created, 1 updated, 0 failed."), Wait);
    }

    [Fact]
    public async Task A_bad_header_is_explained_and_nothing_can_be_imported()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForElement("[data-testid=product-import]", Wait);
        await page.ClickOnAsync("[data-testid=product-import]");
        dialogs.WaitForElement("[data-testid=import-dialog]", Wait);

        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("IBU-200;Ibuprofen;4.50\n", "products.csv"));

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=import-error]").TextContent.ShouldContain("Unknown column"), Wait);
        dialogs.Find("[data-testid=import-run]").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task A_file_over_5_MB_is_refused_before_it_is_read()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForElement("[data-testid=product-import]", Wait);
        await page.ClickOnAsync("[data-testid=product-import]");
        dialogs.WaitForElement("[data-testid=import-dialog]", Wait);

        var big = new byte[5 * 1024 * 1024 + 1];
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(big, "huge.csv"));

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=import-error]").TextContent.ShouldContain("the import takes files of at most 5 MB"), Wait);
        dialogs.FindAll("[data-testid=import-preview]").ShouldBeEmpty();
        dialogs.Find("[data-testid=import-run]").HasAttribute("disabled").ShouldBeTrue();
    }
}
