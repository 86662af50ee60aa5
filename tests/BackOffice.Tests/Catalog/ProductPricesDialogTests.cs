using BackOffice.Core.Outlets;
using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Catalog;

/// <summary>The product form's prices in the outlets' other currencies and its tax category.</summary>
public sealed class ProductPricesDialogTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var london = Make.Outlet("LDN-01");
        london.Currency = "GBP";
        var paris = Make.Outlet("PAR-01");
        paris.Currency = "EUR";
        paris.TaxRates = [new OutletTaxRate { Category = "standard", RatePercent = 20m }, new OutletTaxRate { Category = "vitamins", RatePercent = 5.5m }];
        db.AddRange(london, paris, Make.Product("ASP-100"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_new_product_gets_a_price_per_currency_of_the_outlets_and_a_category_they_tax()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductsPage>();
        page.WaitForElement("[data-testid=product-link]", Wait);
        await page.ClickOnAsync("[data-testid=product-new]");
        dialogs.WaitForElement("[data-testid=product-price-EUR]", Wait);
        dialogs.FindAll("[data-testid^=product-price-]").Select(e => e.GetAttribute("data-testid")).ShouldBe(["product-price-EUR"], "GBP is the base price");

        await dialogs.ChangeOnAsync("[data-testid=product-sku]", "VITC-1G");
        await dialogs.ChangeOnAsync("[data-testid=product-name]", "Vitamin C 1 g");
        await dialogs.ChangeOnAsync("[data-testid=product-price]", "3.99");
        await dialogs.ChangeOnAsync("[data-testid=product-price-EUR]", "100001");
        await page.InvokeAsync(() => dialogs.FindComponent<MudBlazor.MudSelect<string>>().Instance.SelectOption("vitamins"));
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=product-dialog]").TextContent.ShouldContain("A price is at most 100,000."), Wait);

        await dialogs.ChangeOnAsync("[data-testid=product-price-EUR]", "4.49");
        await dialogs.ClickOnAsync("[data-testid=product-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=product-link]").Select(a => a.TextContent).ShouldContain("VITC-1G"), Wait);

        await using var db = Db.Open();
        var saved = await db.Products.Include(p => p.Prices).SingleAsync(p => p.Sku == "VITC-1G");
        saved.TaxCategory.ShouldBe("vitamins");
        saved.Price.ShouldBe(3.99m);
        saved.Prices.Select(p => (p.Currency, p.Price)).ShouldBe([("EUR", 4.49m)]);
    }
}
