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
        await using var db = Db.NewContext();
        db.Outlets.Add(Make.Outlet("LDN-01"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Registering_shows_the_token_once_stores_only_its_hash_and_revoking_asks_first()
    {
        var dialogs = RenderProviders();
        var page = Render<TillsPage>();
        page.WaitForElement("[data-testid=tills-empty]", Wait);

        page.Find("[data-testid=till-register]").Click();
        page.WaitForAssertion(() => page.Markup.ShouldContain("Name the till"), Wait);

        page.Find("[data-testid=till-name]").Change("Counter 1");
        page.Find("[data-testid=till-register]").Click();
        var token = page.WaitForElement("[data-testid=secret-value]", Wait).TextContent.Trim();
        token.ShouldStartWith("till_");

        await using (var db = Db.NewContext())
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

        page.Find("[data-testid=till-revoke]").Click();
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Revoke Counter 1 at LDN-01?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForElement("[data-testid=till-revoked]", Wait);
        page.FindAll("[data-testid=till-revoke]").ShouldBeEmpty();
        await using var check = Db.NewContext();
        (await check.Tills.SingleAsync()).RevokedAt.ShouldBe(Clock.GetUtcNow().UtcDateTime);
    }
}
