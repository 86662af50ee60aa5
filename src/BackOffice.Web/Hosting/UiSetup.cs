using BackOffice.Web.Components;
using MudBlazor;
using MudBlazor.Services;

namespace BackOffice.Web.Hosting;

public static class UiSetup
{
    public static void AddBackOfficeUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // The pages' services, each call in a scope (and a BackOfficeDb) of its own; the features register the services.
        builder.Services.AddSingleton(typeof(PerOperation<>));
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        builder.Services.AddProblemDetails();
    }

    public static void UseBackOfficePipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error/500", createScopeForErrors: true);
        // Status codes without a body (403 for a cashier, 404) show a page that explains, with the code kept.
        // Not on the API and the hub: machines get the status (and problem details) as they are.
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use((ctx, next) =>
        {
            if ((ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs"))
                && ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(ctx);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API's limits are per credential, known once the route's bearer scheme has run.
        app.UseRateLimiter();
        app.UseAntiforgery();
    }

    public static void MapBackOfficeUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
