using BackOffice.Tests.Support;
using BackOffice.Web.Outlets;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Outlets;

/// <summary>The admins' outlets page: the form's field errors, making, editing, closing and reopening an outlet.</summary>
public sealed class OutletsPageTests : PageTest
{
    protected override string[] Roles => ["Admin"];

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var paris = Make.Outlet("PAR-01");
        paris.Name = "Pharmacie du Marais";
        paris.Currency = "EUR";
        paris.Culture = "fr-FR";
        paris.PricesIncludeTax = true;
        paris.TaxRates = [new() { Category = "standard", RatePercent = 20m }, new() { Category = "medicines", RatePercent = 2.1m }];
        db.Outlets.Add(paris);
        await db.SaveChangesAsync();
    }

    private static async Task Fill(IRenderedComponent<OutletsPage> page, string code, string zone, string currency, string culture, string rate)
    {
        await page.ChangeOnAsync("[data-testid=outlet-code]", code);
        await page.ChangeOnAsync("[data-testid=outlet-name]", "Islington Pharmacy");
        await page.ChangeOnAsync("[data-testid=outlet-zone]", zone);
        await page.ChangeOnAsync("[data-testid=outlet-currency]", currency);
        await page.ChangeOnAsync("[data-testid=outlet-culture]", culture);
        await page.ChangeOnAsync("[data-testid=tax-rate-0]", rate);
    }

    [Fact]
    public async Task Bad_fields_show_their_errors_and_a_good_outlet_is_made()
    {
        RenderProviders();
        var page = Render<OutletsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=outlets] tbody").TextContent.ShouldContain("PAR-01"), Wait);

        await page.ClickOnAsync("[data-testid=outlet-new]");
        page.WaitForElement("[data-testid=outlet-code]", Wait);
        await Fill(page, "bad code!", "Mars/Olympus", "ABC", "xx-NOPE", "120");
        await page.ClickOnAsync("[data-testid=outlet-save]");
        page.WaitForAssertion(() =>
        {
            var form = page.Find("[data-testid=outlet-form]").TextContent;
            form.ShouldContain("A code is 1 to 32 letters");
            form.ShouldContain("'Mars/Olympus' is not a known time zone");
            form.ShouldContain("'ABC' is not an ISO 4217 currency code");
            form.ShouldContain("'xx-NOPE' is not a culture name");
            form.ShouldContain("A rate is between 0 and 100 percent.");
        }, Wait);
        await using (var db = Db.Open()) (await db.Outlets.CountAsync()).ShouldBe(1);

        await Fill(page, "PAR-01", "Europe/London", "gbp", "en-GB", "20");
        await page.ClickOnAsync("[data-testid=outlet-save]");
        page.WaitForAssertion(() => page.Find("[data-testid=outlet-form]").TextContent.ShouldContain("An outlet with code PAR-01 already exists."), Wait);

        await page.ChangeOnAsync("[data-testid=outlet-code]", "LDN-02");
        await page.ClickOnAsync("[data-testid=tax-add]");
        page.WaitForElement("[data-testid=tax-category-1]", Wait);
        await page.ChangeOnAsync("[data-testid=tax-category-1]", "medicines");
        await page.ChangeOnAsync("[data-testid=tax-rate-1]", "0");
        await page.ClickOnAsync("[data-testid=outlet-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=outlet-form]").ShouldBeEmpty(), Wait);
        page.Find("[data-testid=outlets] tbody").TextContent.ShouldContain("LDN-02");

        await using var check = Db.Open();
        var made = await check.Outlets.Include(o => o.TaxRates).SingleAsync(o => o.Code == "LDN-02");
        (made.Name, made.TimeZoneId, made.Currency, made.Culture).ShouldBe(("Islington Pharmacy", "Europe/London", "GBP", "en-GB"));
        made.TaxRates.OrderBy(r => r.Category).Select(r => (r.Category, r.RatePercent)).ShouldBe([("medicines", 0m), ("standard", 20m)]);
    }

    [Fact]
    public async Task Editing_keeps_the_code_and_replaces_the_tax_rates()
    {
        RenderProviders();
        var page = Render<OutletsPage>();
        page.WaitForElement("[data-testid=outlet-edit]", Wait);
        await page.ClickOnAsync("[data-testid=outlet-edit]");
        page.WaitForElement("[data-testid=outlet-code]", Wait);

        page.Find("[data-testid=outlet-code]").HasAttribute("disabled").ShouldBeTrue();
        await page.ChangeOnAsync("[data-testid=outlet-name]", "Pharmacie du Marais (Archives)");
        // Rates are listed by category: medicines, then standard.
        await page.ClickOnAsync("[data-testid=tax-remove-0]");
        // A MudButton's click renders after it returns: wait until the removed row is gone before typing into row 0.
        page.WaitForAssertion(() => page.FindAll("[data-testid=tax-rate-1]").ShouldBeEmpty(), Wait);
        await page.ChangeOnAsync("[data-testid=tax-rate-0]", "5.5");
        await page.ClickOnAsync("[data-testid=outlet-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=outlet-form]").ShouldBeEmpty(), Wait);
        page.Find("[data-testid=outlet-row-tax]").TextContent.ShouldContain("standard 5.5%");

        await using var check = Db.Open();
        var outlet = await check.Outlets.Include(o => o.TaxRates).SingleAsync();
        (outlet.Code, outlet.Name).ShouldBe(("PAR-01", "Pharmacie du Marais (Archives)"));
        outlet.TaxRates.Select(r => (r.Category, r.RatePercent)).ShouldBe([("standard", 5.5m)]);
    }

    [Fact]
    public async Task Closing_asks_first_shows_the_outlet_closed_with_its_date_and_it_can_be_reopened()
    {
        var dialogs = RenderProviders();
        var page = Render<OutletsPage>();
        page.WaitForElement("[data-testid=outlet-close]", Wait);
        await page.ClickOnAsync("[data-testid=outlet-close]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("keeps its history"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Close outlet").Click();

        page.WaitForAssertion(() => page.Find("[data-testid=outlet-closed]").TextContent.ShouldContain($"Closed {Web.Components.Formats.User.Date(Clock.GetUtcNow().UtcDateTime)}"), Wait);
        page.Find("[data-testid=outlets] tbody tr").ClassList.ShouldContain("outlet-closed");
        await using (var db = Db.Open()) (await db.Outlets.SingleAsync()).ClosedAt.ShouldNotBeNull();

        await page.ClickOnAsync("[data-testid=outlet-reopen]");
        page.WaitForElement("[data-testid=outlet-open]", Wait);
        await using var check = Db.Open();
        (await check.Outlets.SingleAsync()).ClosedAt.ShouldBeNull();
    }
}
