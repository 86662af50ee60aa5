using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Web.Catalog;
using BackOffice.Web.Inventory;
using BackOffice.Web.Tills;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace BackOffice.Web.Hosting;

public static class ApiSetup
{
    /// <summary>
    /// The till and integration API (api.md), the live stock hub, and what several web servers need to act as one:
    /// Data Protection keys in the database (a cookie signed by one server is read by every other) and, when
    /// `Redis:Configuration` is set, the SignalR Redis backplane (a sale on one server reaches tills on all of them) and
    /// the relay of stock changes to every server's open pages.
    /// </summary>
    public static void AddBackOfficeApi(this WebApplicationBuilder builder)
    {
        builder.AddApiAuthentication();
        builder.Services.AddSingleton<ApiBody>();
        builder.Services.AddScoped<ProductCatalog>();
        builder.Services.AddScoped<BackOffice.Web.Sales.TillSync>();
        builder.Services.AddScoped<TillExportImport>();
        // One notifier for the whole process: SignalR for tills and watchers, and the in-process feed for pages.
        builder.Services.AddSingleton<StockChangeFeed>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IStockChangeNotifier, HubStockChangeNotifier>());

        builder.Services.AddDataProtection()
            .SetApplicationName("BackOffice")
            .PersistKeysToDbContext<BackOfficeDb>();

        builder.Services.AddSingleton<TillConnections>();
        builder.Services.AddSingleton<TillConnectionCheck>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TillConnectionCheck>());
        var signalR = builder.Services.AddSignalR();
        if (builder.Configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = RedisChannel.Literal("BackOffice"));
            // The pages' feed too: a product page on any server hears the commits of every server.
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<StockChangeRelay>(services, redis));
        }
    }

    public static void MapBackOfficeApi(this WebApplication app)
    {
        app.MapTillApi();
        app.MapProductApi();
        app.MapInventoryApi();
        app.MapHub<StockHub>(StockHub.Path);
    }
}
