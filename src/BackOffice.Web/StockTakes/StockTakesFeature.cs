using BackOffice.Core.StockTakes;

namespace BackOffice.Web.StockTakes;

/// <summary>Stock takes: opening, counting and posting, on the back-office pages only (no API routes).</summary>
public static class StockTakesFeature
{
    public static void AddStockTakes(this WebApplicationBuilder builder) => builder.Services.AddScoped<StockTakeService>();
}
