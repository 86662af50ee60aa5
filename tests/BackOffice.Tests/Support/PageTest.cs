using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Web.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BackOffice.Tests.Support;

/// <summary>
/// Base of bunit tests of back-office pages: a real database on the run's provider (empty, migrated) behind the page's
/// <see cref="IDbContextFactory{BackOfficeDb}"/> and the services pages use through <see cref="PerOperation{TService}"/>,
/// a fixed clock, a signed-in manager, and MudBlazor's providers rendered so that popovers, dialogs and snackbars work.
/// </summary>
public abstract class PageTest : ComponentTest
{
    protected ShopDatabase Db { get; private set; } = null!;
    protected FixedClock Clock { get; } = new(TestDatabase.SeedNow);
    protected const string UserName = "manager@pharmacy.test";

    public override async Task InitializeAsync()
    {
        Db = new ShopDatabase();
        Services.AddDbContextFactory<BackOfficeDb>(o => Db.Configure(o), ServiceLifetime.Scoped);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Core.Outlets.BaseCurrency.Gbp);
        Services.AddSingleton<IStockChangeNotifier>(NoStockChangeNotifier.Instance);
        Services.AddSingleton<Web.Inventory.StockChangeFeed>();
        Services.AddLogging();
        // The services pages use, each RunAsync in a scope of its own (and so on a context of its own), as the app registers them.
        Services.AddSingleton(typeof(PerOperation<>));
        Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<BackOfficeDb>>().CreateDbContext());
        Services.AddScoped<Core.Catalog.ProductCatalog>();
        Services.AddScoped<Core.Inventory.ProductStockReport>();
        Services.AddScoped<Core.Inventory.ProductStockList>();
        Services.AddScoped<Core.Inventory.StockDocuments>();
        Services.AddScoped<DisposalService>();
        Services.AddScoped<Core.Sales.SaleDetails>();
        Services.AddScoped<InventoryService>();
        Services.AddScoped<OpeningStockImport>();
        Services.AddScoped<DiscrepancyService>();
        Services.AddScoped<Core.Lots.LotRecalls>();
        Services.AddScoped<Core.StockTakes.StockTakeService>();
        Services.AddScoped<Core.Tills.TillRegistry>();
        Services.AddScoped<Core.Outlets.OutletRegistry>();
        Services.AddScoped<Core.Reporting.Reports>();
        Services.AddScoped<Core.Reporting.Dashboard>();
        Services.AddScoped<Core.Sales.SaleRecorder>();
        Services.AddScoped<Core.Sales.ReturnRecorder>();
        Services.AddScoped<Core.Sales.RejectedSales>();
        Services.AddSingleton<Web.Hosting.ApiBody>();
        Services.AddScoped<Web.Sales.TillSync>();
        Services.AddScoped<Web.Tills.TillExportImport>();
        Services.AddSingleton<Web.Tills.TillConnections>();
        var auth = AddAuthorization();
        auth.SetAuthorized(UserName);
        auth.SetRoles(Roles);
        await ArrangeAsync();
    }

    protected virtual string[] Roles => ["Manager"];

    /// <summary>The test class's data, written before each test.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    protected override Task DisposeTestAsync()
    {
        Db.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>MudBlazor's providers, rendered before the page as the layout would; dialogs appear in the returned provider.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Popovers = Render<MudPopoverProvider>();
        Snackbars = Render<MudSnackbarProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>Where open selects and menus show their items, since <see cref="RenderProviders"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = null!;

    /// <summary>Snackbars shown since <see cref="RenderProviders"/>.</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = null!;

    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
}
