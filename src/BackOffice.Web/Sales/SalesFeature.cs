using BackOffice.Core.Sales;
using BackOffice.Web.Tills;

namespace BackOffice.Web.Sales;

/// <summary>
/// What tills sell and take back: the recorders, the till's history and Z report, the rejected-sales queue, and the
/// till routes for sales, sync and returns.
/// </summary>
public static class SalesFeature
{
    public static void AddSales(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SaleRecorder>();
        builder.Services.AddScoped<ReturnRecorder>();
        builder.Services.AddScoped<TillHistory>();
        builder.Services.AddScoped<SaleDetails>();
        builder.Services.AddScoped<RejectedSales>();
        builder.Services.AddScoped<TillSync>();
    }

    public static void MapSales(this WebApplication app)
    {
        app.TillRoutes().MapSaleEndpoints();
        app.MapTillHistory();
    }
}
