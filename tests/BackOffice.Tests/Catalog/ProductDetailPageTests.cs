using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using BackOffice.Web.Catalog;
using BackOffice.Web.Inventory;
using BackOffice.Web.Tills;
using Bunit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Tests.Catalog;

public sealed class ProductDetailPageTests : PageTest
{
    private Core.Inventory.Batch _soon = null!, _expired = null!;

    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var ldn = Make.Outlet("LDN-01");
        var par = Make.Outlet("PAR-01");
        var product = Make.Product("IBU-200");
        product.Name = "Ibuprofen 200 mg";
        var today = DateOnly.FromDateTime(Make.Now);
        _soon = Make.Batch(ldn, product, 12, today.AddDays(5));
        _expired = Make.Batch(ldn, product, 3, today.AddDays(-2));
        var far = Make.Batch(par, product, 40, today.AddDays(400));
        (ldn.Currency, ldn.Culture, par.Currency, par.Culture, par.TimeZoneId) = ("GBP", "en-GB", "EUR", "fr-FR", "Europe/Paris");
        (_soon.UnitCost, far.UnitCost) = (1234.5m, 2.125m);
        db.AddRange(ldn, par, product, _soon, _expired, far);
        await db.SaveChangesAsync();
        // After the save: a movement copies its batch's outlet and product ids, which exist only now.
        foreach (var b in new[] { _soon, _expired, far })
            db.Movements.Add(StockMovement.For(b, MovementKind.Receipt, b.OnHand, Make.Now.AddDays(-30), "receipt:test"));
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Shows_stock_per_outlet_batches_coloured_by_days_left_and_the_ledger()
    {
        RenderProviders();
        var page = Render<ProductDetailPage>(p => p.Add(x => x.Sku, "IBU-200"));
        page.WaitForElement("[data-testid=stock-per-outlet]", Wait);

        page.Find("[data-testid=product-title]").TextContent.ShouldBe("Ibuprofen 200 mg");
        page.Find("[data-testid=product-title]").TagName.ShouldBe("H1");
        // The breadcrumbs end with the page itself as text, not as a disabled link to "#".
        page.Find(".mud-breadcrumbs a").GetAttribute("href").ShouldBe("/catalog/products");
        page.Find(".mud-breadcrumbs [aria-current=page]").TextContent.ShouldBe("IBU-200");
        page.FindAll(".mud-breadcrumbs a").Count.ShouldBe(1);
        var outlets = page.FindAll("[data-testid=stock-per-outlet] tbody tr");
        var ldn = outlets.Single(r => r.TextContent.Contains("LDN-01"));
        ldn.QuerySelector("[data-testid=available]")!.TextContent.ShouldContain("12");
        ldn.QuerySelector("[data-testid=on-hand]")!.TextContent.Trim().ShouldBe("15");
        outlets.Single(r => r.TextContent.Contains("PAR-01")).QuerySelector("[data-testid=on-hand]")!.TextContent.Trim().ShouldBe("40");

        var chips = page.FindAll("[data-testid=expiry-chip]");
        chips.Count.ShouldBe(3);
        chips.Single(c => c.TextContent.Contains("5 days left")).ClassName!.ShouldContain("error");
        chips.Single(c => c.TextContent.Contains("expired 2 d ago")).ClassName!.ShouldContain("dark");
        chips.Single(c => c.TextContent.Contains("400 days left")).ClassName!.ShouldContain("success");

        // Each batch's unit cost in its outlet's currency and culture: two decimals, more only where the cost has them.
        var batches = page.FindAll("[data-testid=batches] tbody tr");
        batches.Single(r => r.TextContent.Contains("5 days left")).QuerySelector("[data-testid=unit-cost]")!.TextContent.Trim().ShouldBe("£1,234.50");
        batches.Single(r => r.TextContent.Contains("400 days left")).QuerySelector("[data-testid=unit-cost]")!.TextContent.Trim().ShouldBe("2,125\u00A0€");
        chips.Single(c => c.TextContent.Contains("400 days left")).TextContent.ShouldContain(DateOnly.FromDateTime(Make.Now).AddDays(400).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));

        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger] tbody tr").Count.ShouldBe(3), Wait);
        page.Find("[data-testid=ledger]").TextContent.ShouldContain("Receipt");
    }

    [Fact]
    public void An_unknown_sku_says_so()
    {
        var page = Render<ProductDetailPage>(p => p.Add(x => x.Sku, "NOPE"));
        page.WaitForElement("[data-testid=product-not-found]", Wait).TextContent.ShouldContain("NOPE");
    }

    [Fact]
    public async Task Adjusting_a_batch_requires_a_reason_refuses_going_below_zero_and_writes_the_movement()
    {
        var dialogs = RenderProviders();
        var page = Render<ProductDetailPage>(p => p.Add(x => x.Sku, "IBU-200"));
        page.WaitForElement("[data-testid=batches]", Wait);
        page.FindAll("[data-testid=batches] tbody tr").Single(r => r.TextContent.Contains(_soon.LotNumber!))
            .QuerySelector("[data-testid=batch-adjust]")!.Click();
        dialogs.WaitForElement("[data-testid=adjust-quantity]", Wait);

        await dialogs.ChangeOnAsync("[data-testid=adjust-quantity]", "-20");
        await dialogs.ClickOnAsync("[data-testid=adjust-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=adjust-dialog]").TextContent.ShouldContain("Choose a reason"), Wait);

        await page.InvokeAsync(() => dialogs.FindComponent<MudBlazor.MudSelect<AdjustmentReason?>>().Instance.SelectOption(AdjustmentReason.Damage));
        await dialogs.ClickOnAsync("[data-testid=adjust-save]");
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=adjust-dialog]").TextContent.ShouldContain("The batch holds 12: it cannot lose 20."), Wait);

        await dialogs.ChangeOnAsync("[data-testid=adjust-quantity]", "-2");
        await dialogs.ChangeOnAsync("[data-testid=adjust-note]", "Crushed box");
        await dialogs.ClickOnAsync("[data-testid=adjust-save]");
        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger] tbody tr").Count.ShouldBe(4), Wait);

        await using var db = Db.Open();
        (await db.Batches.SingleAsync(b => b.Id == _soon.Id)).OnHand.ShouldBe(10);
        var movement = await db.Movements.SingleAsync(m => m.Kind == MovementKind.Adjustment);
        movement.ShouldSatisfyAllConditions(m => m.Quantity.ShouldBe(-2), m => m.Note.ShouldBe("Crushed box"),
            m => m.UserName.ShouldBe(UserName), m => m.Reference.ShouldBe("adjustment:damage"));
    }
}

public sealed class ProductDetailLiveStockTests : PageTest
{
    protected override async Task ArrangeAsync()
    {
        await using var db = Db.Open();
        var ldn = Make.Outlet("LDN-01");
        var product = Make.Product("IBU-200");
        var other = Make.Product("OTHER-1");
        db.AddRange(ldn, product, other, Make.Batch(ldn, product, 12, DateOnly.FromDateTime(Make.Now).AddDays(200)));
        await db.SaveChangesAsync();
    }

    /// <summary>The notifier the web host registers, with a real (connectionless) SignalR hub context, telling the page's feed.</summary>
    private IStockChangeNotifier HostNotifier()
    {
        var signalR = new ServiceCollection().AddLogging();
        signalR.AddSignalR();
        var hub = signalR.BuildServiceProvider().GetRequiredService<IHubContext<StockHub>>();
        return new HubStockChangeNotifier(hub, Services.GetRequiredService<StockChangeFeed>(), NullLogger<HubStockChangeNotifier>.Instance);
    }

    private async Task ReceiveAsync(IStockChangeNotifier notifier, string sku, int quantity)
    {
        await using var db = Db.Open();
        await new InventoryService(db, Clock, notifier).ReceiveAsync(new ReceiveGoods("LDN-01", "delivery",
            [new ReceiveLine(sku, "L-" + Guid.NewGuid().ToString("N")[..6], new DateOnly(2027, 9, 30), quantity, 2m)]), UserName);
    }

    [Fact]
    public async Task A_receipt_committed_elsewhere_updates_the_available_figure_without_reload_and_the_page_unsubscribes_when_closed()
    {
        var feed = Services.GetRequiredService<StockChangeFeed>();
        var notifier = HostNotifier();
        var page = Render<ProductDetailPage>(p => p.Add(x => x.Sku, "IBU-200"));
        page.WaitForElement("[data-testid=stock-per-outlet]", Wait);
        string Available() => page.Find("[data-testid=stock-per-outlet] tbody tr [data-testid=available]").TextContent.Trim();
        Available().ShouldStartWith("12");
        feed.Subscribers.ShouldBe(1);

        // Another product's change does not re-read this page; this product's does.
        await ReceiveAsync(notifier, "OTHER-1", 3);
        await ReceiveAsync(notifier, "IBU-200", 5);
        page.WaitForAssertion(() => Available().ShouldStartWith("17"), Wait);
        page.WaitForAssertion(() => page.FindAll("[data-testid=batches] tbody tr").Count.ShouldBe(2), Wait);

        await DisposeComponentsAsync();
        feed.Subscribers.ShouldBe(0);
    }
}
