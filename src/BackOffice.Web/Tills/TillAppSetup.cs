using BackOffice.Web.Hosting;
using Microsoft.Extensions.FileProviders;

namespace BackOffice.Web.Tills;

public static class TillAppSetup
{
    /// <summary>
    /// Serves the till PWA (the repository's top-level wwwroot/) at /till/, and the npm front-end libraries it
    /// uses from node_modules at /till/lib/ (restored by npm, never committed). `Till:Root` overrides the folder.
    /// </summary>
    public static void MapTillApp(this WebApplication app)
    {
        var root = app.Configuration["Till:Root"];
        var repo = RepositoryLayout.RepositoryRoot(app.Environment.ContentRootPath);
        root ??= repo is null ? Path.Combine(AppContext.BaseDirectory, "till") : Path.Combine(repo, "wwwroot");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Till app folder {Root} not found: /till/ is not served", root);
            return;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = "/till" });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = "/till",
            OnPrepareResponse = ctx =>
            {
                // The service worker and the shell must be revalidated so that a new version is picked up.
                ctx.Context.Response.Headers.CacheControl = "no-cache";
                if (ctx.File.Name == "sw.js") ctx.Context.Response.Headers["Service-Worker-Allowed"] = "/till/";
            },
            ContentTypeProvider = ContentTypes(),
        });

        var signalr = repo is null ? null : Path.Combine(repo, "node_modules", "@microsoft", "signalr", "dist", "browser");
        if (signalr is not null && Directory.Exists(signalr))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(signalr), RequestPath = "/till/lib/signalr" });
        else
            app.Logger.LogWarning("@microsoft/signalr is not restored (run npm ci at the repository root): the till has no live stock");
    }

    private static Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ContentTypes()
    {
        var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        types.Mappings[".webmanifest"] = "application/manifest+json";
        return types;
    }
}
