using BackOffice.Core.Inventory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackOffice.Web.Inventory;

/// <summary>
/// Stock: receipts, transfers, adjustments, discrepancies, and how committed stock changes are told (SignalR for the
/// tills, the in-process feed for the pages, and through Redis to every server's pages when scaled out).
/// </summary>
public static class InventoryFeature
{
    public static void AddInventory(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<InventoryService>();
        builder.Services.AddScoped<OpeningStockImport>();
        builder.Services.AddScoped<DiscrepancyService>();
        builder.Services.AddScoped<ProductStockList>();
        builder.Services.AddScoped<ProductStockReport>();
        builder.Services.AddScoped<StockDocuments>();
        builder.Services.AddScoped<DisposalService>();
        // One notifier for the whole process: SignalR for tills and watchers, and the in-process feed for pages.
        builder.Services.AddSingleton<StockChangeFeed>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IStockChangeNotifier, Tills.HubStockChangeNotifier>());
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
            // The pages' feed too: a product page on any server hears the commits of every server.
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<StockChangeRelay>(services, redis));
    }

    public static void MapInventory(this WebApplication app) => app.MapInventoryApi();
}
