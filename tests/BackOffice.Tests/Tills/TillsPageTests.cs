using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using BackOffice.Web.Tills;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Tills;

public sealed class TillsPageTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        db.Outlets.Add(Make.Outlet("LDN-01"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Registering_shows_the_token_once_stores_only_its_hash_and_revoking_asks_first()
    {
        var dialogs = RenderProviders();
        var page = Render<TillsPage>();
        page.WaitForElement("[data-testid=tills-empty]", Wait);

        await page.ClickOnAsync("[data-testid=till-register]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("Name the till"), Wait);

        await page.ChangeOnAsync("[data-testid=till-name]", "Counter 1");
        await page.ClickOnAsync("[data-testid=till-register]");
        var token = page.WaitForElement("[data-testid=secret-value]", Wait).TextContent.Trim();
        token.ShouldStartWith("till_");

        await using (var db = Db.Open())
        {
            var till = await db.Tills.SingleAsync();
            till.TokenHash.ShouldBe(Secrets.Hash(token));
            till.TokenHash.ShouldNotContain(token);
        }
        page.Find("[data-testid=tills] tbody").TextContent.ShouldContain("Counter 1");
        // The setup link carries the token for the till to read at first start, also as a QR code.
        page.Find("[data-testid=till-setup-link]").TextContent.ShouldEndWith("/till/#token=" + Uri.EscapeDataString(token));
        page.Find("[data-testid=till-setup-qr]").GetAttribute("src")!.ShouldStartWith("data:image/png;base64,");

        // Dismissed, the token is gone from the page for good.
        page.FindAll("[data-testid=secret-once] button").Single(b => b.TextContent.Trim() == "Done").Click();
        page.FindAll("[data-testid=secret-value]").ShouldBeEmpty();
        page.FindAll("[data-testid=till-setup]").ShouldBeEmpty();

        await page.ClickOnAsync("[data-testid=till-revoke]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Revoke Counter 1 at LDN-01?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForElement("[data-testid=till-revoked]", Wait);
        page.FindAll("[data-testid=till-revoke]").ShouldBeEmpty();
        await using var check = Db.Open();
        (await check.Tills.SingleAsync()).RevokedAt.ShouldBe(Clock.GetUtcNow().UtcDateTime);
    }
}

public sealed class TillRecoveryPageTests : PageTest
{
    private int _tillId;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var outlet = Make.Outlet("LDN-01");
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        var till = Make.Till(outlet.Id, Secrets.Hash("till_old_token"));
        till.Name = "Counter A";
        till.PendingOnDevice = 3;
        till.PendingReportedAt = Clock.GetUtcNow().UtcDateTime.AddMinutes(-5);
        db.Tills.Add(till);
        await db.SaveChangesAsync();
        _tillId = till.Id;
    }

    [Fact]
    public async Task Revoking_says_how_many_sales_the_device_holds_and_a_new_token_reinstates_the_same_till()
    {
        var dialogs = RenderProviders();
        var page = Render<TillsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=till-pending]").TextContent.ShouldContain("3"), Wait);

        await page.ClickOnAsync("[data-testid=till-revoke]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("last known to hold 3 unsent sale(s)"), Wait);
        dialogs.Markup.ShouldContain("issue a new token for this till, or import the device's export file");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForElement("[data-testid=till-revoked]", Wait);

        await page.ClickOnAsync("[data-testid=till-reissue]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("the till is active again"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Issue new token").Click();
        var token = page.WaitForElement("[data-testid=secret-value]", Wait).TextContent.Trim();
        page.FindAll("[data-testid=till-revoked]").ShouldBeEmpty();

        await using var db = Db.Open();
        var till = await db.Tills.SingleAsync();
        till.Id.ShouldBe(_tillId, "the same till, with its history");
        till.TokenHash.ShouldBe(Secrets.Hash(token));
        till.RevokedAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_file_that_is_not_a_tills_export_is_refused_in_the_import_dialog()
    {
        var dialogs = RenderProviders();
        var page = Render<TillsPage>();
        page.WaitForElement("[data-testid=till-import-open]", Wait);
        await page.ClickOnAsync("[data-testid=till-import-open]");
        var input = dialogs.WaitForElement("[data-testid=till-import-dialog] input[type=file]", Wait);
        dialogs.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromText("{\"format\":\"csv\"}", "unsent.json", contentType: "application/json"));
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=till-import-error]").TextContent.ShouldContain("not a till's export file"), Wait);
        await using var db = Db.Open();
        (await db.Sales.CountAsync()).ShouldBe(0);
        input.ShouldNotBeNull();
    }
}
