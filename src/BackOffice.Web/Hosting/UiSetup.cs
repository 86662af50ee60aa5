using BackOffice.Web.Components;
using BackOffice.Web.Setup;
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
        app.UseBackOfficeSecurity();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error/500", createScopeForErrors: true);
        // Status codes without a body (403 for a cashier, 404) show a page that explains, with the code kept; in a scope
        // of its own, since the page that set the code may already have rendered in the request's.
        // Not on the API and the hub: machines get the status (and problem details) as they are.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.UseErrorPagesAsGet();
        app.Use((ctx, next) =>
        {
            if ((ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs"))
                && ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(ctx);
        });
        // The user's culture from the browser's languages: how pages write figures where no outlet is in view (Formats).
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Formats.UserCultures[0]);
            o.AddSupportedCultures(Formats.UserCultures);
            o.AddSupportedUICultures(Formats.UserCultures);
        });
        // Routing after the security middleware, so that a HEAD is routed as the GET it is answered as.
        app.UseRouting();
        // While the first-run setup is to be done, pages redirect to it (before sign-in, which nobody could pass yet).
        app.UseSetupGate();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API's limits are per credential, known once the route's bearer scheme has run.
        app.UseRateLimiter();
        app.UseAntiforgery();
    }

    /// <summary>
    /// An error page renders as a GET whatever the failed request was: re-executed as the POST it was, the page would be
    /// checked for an antiforgery token and a form handler again, and a refused form would fail a second time (a 500).
    /// </summary>
    private static void UseErrorPagesAsGet(this WebApplication app) => app.Use(async (ctx, next) =>
    {
        if (ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
        {
            await next(ctx);
            return;
        }
        var method = ctx.Request.Method;
        ctx.Request.Method = HttpMethods.Get;
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Request.Method = method;
        }
    });

    public static void MapBackOfficeUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
