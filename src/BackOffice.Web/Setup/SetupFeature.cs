using BackOffice.Core.Setup;
using Microsoft.AspNetCore.Components.Endpoints;

namespace BackOffice.Web.Setup;

/// <summary>
/// The first run of an empty database: <c>/setup</c> makes the first admin and the first outlet, once. While it is to be done,
/// every page (outside Development, where the Seed settings make the dev admin) redirects to it; once done, it is a 404.
/// </summary>
public static class SetupFeature
{
    public const string Path = "/setup";

    public static void AddSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<FirstRunSetup>();
        builder.Services.AddSingleton<SetupState>();
    }

    /// <summary>
    /// The gate: after routing (it asks the endpoint whether a request is a page) and before authentication, so that an empty
    /// database's pages lead to the setup rather than to a sign-in nobody can pass. The setup page itself is a Razor component.
    /// </summary>
    public static void UseSetupGate(this WebApplication app)
    {
        var redirect = !app.Environment.IsDevelopment();
        app.Use(async (ctx, next) =>
        {
            var isSetup = ctx.Request.Path.StartsWithSegments(Path);
            if (!isSetup && !(redirect && IsPage(ctx)))
            {
                await next(ctx);
                return;
            }
            var open = await ctx.RequestServices.GetRequiredService<SetupState>().IsOpenAsync(ctx.RequestServices, ctx.RequestAborted);
            if (isSetup && !open) ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            else if (!isSetup && open) ctx.Response.Redirect(Path);
            else await next(ctx);
        });
    }

    /// <summary>A page a person opens: a routed Razor component, or the sign-in and jobs pages. Not files, the API, the hub, error pages.</summary>
    private static bool IsPage(HttpContext ctx) =>
        !ctx.Request.Path.StartsWithSegments("/error")
        && (ctx.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            || ctx.Request.Path.StartsWithSegments("/account")
            || ctx.Request.Path.StartsWithSegments("/hangfire"));
}

/// <summary>Whether the setup is still to be done, asked of the database until the answer is no, then remembered.</summary>
public sealed class SetupState
{
    private volatile bool _done;

    public async ValueTask<bool> IsOpenAsync(IServiceProvider services, CancellationToken ct = default)
    {
        if (_done) return false;
        var open = await services.GetRequiredService<FirstRunSetup>().IsOpenAsync(ct);
        if (!open) _done = true;
        return open;
    }
}
