using BackOffice.Tests.Support;
using BackOffice.Web.Inventory;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

public sealed class ReceivePageTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var product = Make.Product("IBU-200", "5000000000017");
        db.AddRange(Make.Outlet("LDN-01"), product);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_GS1_code_in_the_code_field_fills_the_product_lot_and_expiry_and_receives_them()
    {
        await using (var db = Db.Open())
        {
            db.Add(Make.Product("PARA-500", "5012345678900"));
            await db.SaveChangesAsync();
        }
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);

        await page.ChangeOnAsync("[data-testid=line-code]", "]d2010501234567890017270300" + "10L2391\u001d21SN1");
        page.WaitForAssertion(() => page.Find("[data-testid=line-code]").GetAttribute("value").ShouldBe("PARA-500"), Wait);
        page.Find("[data-testid=line-lot]").GetAttribute("value").ShouldBe("L2391");
        page.Find("[data-testid=line-expiry]").GetAttribute("value").ShouldBe("2027-03-31", "day 00 is the month's last day");
        await page.ChangeOnAsync("[data-testid=line-quantity]", "12");
        await page.ChangeOnAsync("[data-testid=line-cost]", (0.5m).ToString(System.Globalization.CultureInfo.CurrentCulture));
        await page.ClickOnAsync("[data-testid=receive-submit]");
        page.WaitForElement("[data-testid=receive-result]", Wait).TextContent.ShouldContain("PARA-500");

        await using var check = Db.Open();
        var batch = await check.Batches.Include(b => b.Product).SingleAsync();
        batch.ShouldSatisfyAllConditions(b => b.Product.Sku.ShouldBe("PARA-500"), b => b.LotNumber.ShouldBe("L2391"),
            b => b.ExpiryDate.ShouldBe(new DateOnly(2027, 3, 31)), b => b.OnHand.ShouldBe(12));
    }

    [Fact]
    public async Task A_plain_barcode_is_compared_as_GTIN_14()
    {
        await using (var db = Db.Open())
        {
            db.Add(Make.Product("PARA-500", "5012345678900"));
            await db.SaveChangesAsync();
        }
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);

        FillLine(page, 0, "05012345678900", "LOT-A", "2027-06-30", 3, 1m);
        await page.ClickOnAsync("[data-testid=receive-submit]");
        page.WaitForElement("[data-testid=receive-result]", Wait).TextContent.ShouldContain("PARA-500");
    }

    [Theory]
    [InlineData("(01)05012345678901(10)L1", "GTIN (01) 05012345678901 has a wrong check digit")]
    [InlineData("(01)05012345678900(17)271331", "Expiry date (17) 271331 is not a real date")]
    [InlineData("(01)04012345678901(10)L1", "No product has the barcode 04012345678901.")]
    [InlineData("(00)106141411234567897", "no product number")]
    public async Task A_GS1_code_that_cannot_be_read_says_why_on_its_field_and_fills_nothing(string code, string message)
    {
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);

        await page.ChangeOnAsync("[data-testid=line-code]", code);

        page.WaitForAssertion(() => page.Find("[data-testid=receive-line]").TextContent.ShouldContain(message), Wait);
        page.Find("[data-testid=line-lot]").GetAttribute("value").ShouldBeNullOrEmpty();
        page.Find("[data-testid=line-expiry]").GetAttribute("value").ShouldBeNullOrEmpty();
        await using var db = Db.Open();
        (await db.Batches.CountAsync()).ShouldBe(0);
    }

    private static void FillLine(IRenderedComponent<ReceivePage> page, int index, string code, string? lot, string? expiry, int quantity, decimal cost)
    {
        var line = page.FindAll("[data-testid=receive-line]")[index];
        line.QuerySelector("[data-testid=line-code]")!.Change(code);
        line = page.FindAll("[data-testid=receive-line]")[index];
        if (lot is not null) line.QuerySelector("[data-testid=line-lot]")!.Change(lot);
        line = page.FindAll("[data-testid=receive-line]")[index];
        if (expiry is not null) line.QuerySelector("[data-testid=line-expiry]")!.Change(expiry);
        line = page.FindAll("[data-testid=receive-line]")[index];
        line.QuerySelector("[data-testid=line-quantity]")!.Change(quantity.ToString(System.Globalization.CultureInfo.CurrentCulture));
        line = page.FindAll("[data-testid=receive-line]")[index];
        line.QuerySelector("[data-testid=line-cost]")!.Change(cost.ToString(System.Globalization.CultureInfo.CurrentCulture));
    }

    [Fact]
    public async Task Receiving_by_barcode_creates_the_batch_and_its_receipt_movement()
    {
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);

        FillLine(page, 0, "5000000000017", "LOT-A", "2027-06-30", 24, 1.25m);
        await page.ClickOnAsync("[data-testid=receive-submit]");
        page.WaitForElement("[data-testid=receive-result]", Wait).TextContent.ShouldContain("IBU-200");

        await using var db = Db.Open();
        var batch = await db.Batches.Include(b => b.Outlet).SingleAsync();
        batch.ShouldSatisfyAllConditions(b => b.Outlet.Code.ShouldBe("LDN-01"), b => b.LotNumber.ShouldBe("LOT-A"),
            b => b.ExpiryDate.ShouldBe(new DateOnly(2027, 6, 30)), b => b.OnHand.ShouldBe(24), b => b.UnitCost.ShouldBe(1.25m));
        (await db.Movements.SingleAsync()).UserName.ShouldBe(UserName);
        Snackbars.Markup.ShouldContain("Received 24 units");
    }

    [Fact]
    public async Task Errors_show_on_the_fields_of_their_line_and_nothing_is_received()
    {
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);
        await page.ClickOnAsync("[data-testid=receive-add-line]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=receive-line]").Count.ShouldBe(2), Wait);

        FillLine(page, 0, "IBU-200", "LOT-A", null, 5, 1m);
        FillLine(page, 1, "NOPE-1", "LOT-B", "2027-01-01", 0, 1m);
        await page.ClickOnAsync("[data-testid=receive-submit]");

        page.WaitForElement("[data-testid=receive-error]", Wait);
        var lines = page.FindAll("[data-testid=receive-line]");
        lines[0].TextContent.ShouldContain("'IBU-200' tracks expiry: an expiry date is required.");
        lines[1].TextContent.ShouldContain("quantity must be at least 1.");
        await using var db = Db.Open();
        (await db.Batches.CountAsync()).ShouldBe(0);
        (await db.Receipts.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_receipt_that_succeeds_after_a_refused_one_takes_the_error_snackbar_away()
    {
        RenderProviders();
        var page = Render<ReceivePage>();
        page.WaitForElement("[data-testid=receive-line]", Wait);

        FillLine(page, 0, "NOPE-1", "LOT-A", "2027-06-30", 24, 1.25m);
        await page.ClickOnAsync("[data-testid=receive-submit]");
        page.WaitForElement("[data-testid=receive-error]", Wait);
        Snackbars.WaitForAssertion(() => Snackbars.FindAll(".mud-alert-filled-error").Count.ShouldBe(1), Wait);

        FillLine(page, 0, "IBU-200", "LOT-A", "2027-06-30", 24, 1.25m);
        await page.ClickOnAsync("[data-testid=receive-submit]");
        page.WaitForElement("[data-testid=receive-result]", Wait);
        Snackbars.WaitForAssertion(() =>
        {
            Snackbars.Markup.ShouldContain("Received 24 units");
            Snackbars.FindAll(".mud-alert-filled-error").ShouldBeEmpty();
        }, Wait);
    }
}
