using System.Globalization;
using BackOffice.Core.Reporting;
using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using BackOffice.Web.Home;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Reporting;

/// <summary>The home dashboard rendered against a real, seeded database on the run's provider.</summary>
public sealed class DashboardPageTests : ComponentTest
{
    private ShopDatabase _db = null!;

    public override async Task InitializeAsync()
    {
        _db = ShopDatabase.Seeded();
        // The page's services through PerOperation, each call on a context of its own, as the app registers them.
        Services.AddSingleton(typeof(PerOperation<>));
        Services.AddScoped(_ => _db.Open());
        Services.AddScoped<Dashboard>();
        Services.AddSingleton<BackOffice.Core.Inventory.IStockChangeNotifier>(BackOffice.Core.Inventory.NoStockChangeNotifier.Instance);
        Services.AddScoped<BackOffice.Core.Sales.SaleRecorder>();
        Services.AddScoped<BackOffice.Core.Sales.RejectedSales>();
        Services.AddSingleton<TimeProvider>(new FixedClock(TestDatabase.SeedNow));
        var auth = AddAuthorization();
        auth.SetAuthorized("manager@pharmacy.test");
        auth.SetRoles("Manager");
    }

    protected override Task DisposeTestAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Shows_the_figures_of_each_demo_outlet()
    {
        var page = Render<HomePage>();
        page.WaitForElement("[data-testid=outlet-figures]", TimeSpan.FromSeconds(10));

        var rows = page.FindAll("[data-testid=outlet-figures] tbody tr");
        rows.Count.ShouldBe(3);
        rows.Select(r => r.TextContent).ShouldContain(t => t.Contains("LDN-01"));
        rows.Select(r => r.TextContent).ShouldContain(t => t.Contains("PAR-01"));
        rows.Select(r => r.TextContent).ShouldContain(t => t.Contains("NYC-01"));

        // The totals are the sums of what the Dashboard service computes from the database.
        await using var db = _db.Open();
        var figures = await new Dashboard(db, new FixedClock(TestDatabase.SeedNow)).OutletFiguresAsync();
        figures.Sum(f => f.StockValue).ShouldBeGreaterThan(0);
        // One total per currency (the demo has pounds, euros and dollars), never one sum over them.
        var totals = figures.GroupBy(f => f.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(f => f.StockValue))).ToList();
        totals.Select(t => t.Key).ShouldBe(["EUR", "GBP", "USD"]);
        page.FindAll("[data-testid=total-stock-value]").Select(e => e.TextContent.Trim())
            .ShouldBe(totals.Select(t => Formats.User.Money(t.Item2, t.Key)));
        // Each outlet's row is written in its own culture: Paris in euros the French way.
        var paris = figures.Single(f => f.Code == "PAR-01");
        rows.Single(r => r.TextContent.Contains("PAR-01")).QuerySelector("[data-testid=outlet-stock-value]")!.TextContent.Trim()
            .ShouldBe(paris.StockValue.ToString("N2", CultureInfo.GetCultureInfo("fr-FR")) + "\u00a0€");
        page.Find("[data-testid=total-expiring]").TextContent.Trim().ShouldBe(figures.Sum(f => f.ExpiringBatches).ToString(CultureInfo.CurrentCulture));
        page.Find("[data-testid=total-low-stock]").TextContent.Trim().ShouldBe(figures.Sum(f => f.LowStockProducts).ToString(CultureInfo.CurrentCulture));
        figures.Sum(f => f.ExpiringBatches).ShouldBeGreaterThan(0);

        page.FindAll("[data-testid=expiring-batches] tbody tr").Count.ShouldBe(10);
    }
}
