using BackOffice.Core.Tills;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;

namespace BackOffice.Web.Tills;

/// <summary>
/// Tills: registration, tokens and their revocation, the till's own routes (/me, the catalog), the live stock hub
/// and the connections it holds, the import of a till's export, and the till PWA's files.
/// </summary>
public static class TillsFeature
{
    public static void AddTills(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TillRegistry>();
        builder.Services.AddScoped<TillExportImport>();
        builder.Services.AddSingleton<TillConnections>();
        builder.Services.AddSingleton<TillConnectionCheck>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TillConnectionCheck>());
    }

    public static void MapTills(this WebApplication app)
    {
        app.MapTillApp();
        app.MapTillApi();
        app.MapHub<StockHub>(StockHub.Path);
    }

    /// <summary>The /api/till group: a till token only, problem details. Each feature maps its till routes on one.</summary>
    public static RouteGroupBuilder TillRoutes(this WebApplication app) =>
        app.MapGroup("/api/till").RequireAuthorization(ApiPolicies.Till).RequireRateLimiting(RateLimitPolicies.Api)
            .WithApiProblems().WithTags("Till").WithCredentialProblems();
}
