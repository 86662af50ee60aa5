using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class OpeningStockPageTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        db.AddRange(Make.Outlet("LDN-01"), Make.Product("IBU-200", "5000000000017"), Make.Product("PARA-500"));
        await db.SaveChangesAsync();
    }

    private const string Csv = "outletCode,sku,barcode,lotNumber,expiryDate,quantity,unitCost\n" +
                               "LDN-01,IBU-200,,L1,2027-06-30,24,1.25\n" +
                               "LDN-01,,5000000000017,L2,2027-06-30,6,1.25\n" +
                               "LDN-01,NOPE,,L3,2027-06-30,1,1\n" +
                               "LDN-01,IBU-200,,L1,2027-06-30,5,1.25\n" +
                               "LDN-01,PARA-500,,L4,2026-01-01,5,1\n";

    [Fact]
    public async Task The_preview_shows_the_bad_rows_the_import_receives_the_good_ones_and_the_same_file_again_receives_nothing()
    {
        RenderProviders();
        var page = Render<OpeningStockPage>();
        page.WaitForElement("[data-testid=opening-choose]", Wait);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "opening.csv"));

        page.WaitForAssertion(() => page.Find("[data-testid=opening-counts]").TextContent.ShouldContain("5 rows: 2 to receive, 2 with errors, 1 duplicates, 0 received before."), Wait);
        // The rows not received come first, with why.
        var why = page.FindAll("[data-testid=opening-why]").Select(w => w.TextContent.Trim()).ToList();
        why.ShouldBe([
            "sku: Unknown sku 'NOPE'.",
            "same outlet, product, lot and expiry as line 2: received once, from that line",
            "expiryDate: The expiry date is already past."]);
        var outlet = page.Find("[data-testid=opening-outlet]").TextContent;
        outlet.ShouldContain("LDN-01");
        outlet.ShouldContain("30");
        outlet.ShouldContain(37.50m.ToString("N2"));
        page.Find("[data-testid=opening-import]").TextContent.ShouldContain("Receive 2 rows into 1 outlet(s)");

        await page.ClickOnAsync("[data-testid=opening-import]");
        page.WaitForAssertion(() => page.Find("[data-testid=opening-receipt]").TextContent.ShouldContain("LDN-01: 2 rows, 30 units"), Wait);

        await using (var db = Db.Open())
        {
            var receipt = await db.Receipts.SingleAsync();
            receipt.ShouldSatisfyAllConditions(r => r.Reference.ShouldBe("Opening stock: opening.csv"), r => r.ReceivedBy.ShouldBe(UserName));
            (await db.Batches.OrderBy(b => b.LotNumber).Select(b => new { b.LotNumber, b.OnHand }).ToListAsync())
                .Select(b => $"{b.LotNumber} {b.OnHand}").ShouldBe(["L1 24", "L2 6"]);
        }

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "opening-again.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=opening-counts]").TextContent.ShouldContain("0 to receive, 2 with errors, 1 duplicates, 2 received before."), Wait);
        page.FindAll("[data-testid=opening-why]").Select(w => w.TextContent.Trim()).ShouldContain("received already, in 'Opening stock: opening.csv'");
        page.Find("[data-testid=opening-import]").HasAttribute("disabled").ShouldBeTrue();
        await using var check = Db.Open();
        (await check.Receipts.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public void A_file_over_the_limit_and_a_bad_header_are_explained_and_nothing_can_be_received()
    {
        RenderProviders();
        var page = Render<OpeningStockPage>();
        page.WaitForElement("[data-testid=opening-choose]", Wait);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[10 * 1024 * 1024 + 1], "huge.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=opening-error]").TextContent.ShouldContain("the import takes files of at most 10 MB"), Wait);
        page.FindAll("[data-testid=opening-import]").ShouldBeEmpty();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("outletCode,sku,quantity\nLDN-01,IBU-200,1\n", "opening.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=opening-error]").TextContent.ShouldContain("The header lacks the column unitCost."), Wait);
        page.FindAll("[data-testid=opening-preview]").ShouldBeEmpty();
    }
}
