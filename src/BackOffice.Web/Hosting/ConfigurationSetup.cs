using Microsoft.Extensions.Configuration.Json;

namespace BackOffice.Web.Hosting;

public static class ConfigurationSetup
{
    /// <summary>
    /// The repository keeps one appsettings.Development.json at its top level (seed credentials, dev database).
    /// It is layered right after the project's own appsettings files, so environment variables and the
    /// command line still win over it.
    /// </summary>
    public static void AddSharedDevelopmentSettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return;
        var file = RepositoryLayout.FindUp(builder.Environment.ContentRootPath, "appsettings.Development.json", skipFirst: true);
        if (file is null) return;
        var sources = builder.Configuration.Sources;
        var lastJson = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i;
        var source = new JsonConfigurationSource { Path = Path.GetFileName(file), Optional = true, ReloadOnChange = false };
        source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(file)!);
        sources.Insert(lastJson + 1, source);
    }
}

/// <summary>Finds the repository's top-level folders (the till PWA, npm packages) from the content root.</summary>
public static class RepositoryLayout
{
    public static string? FindUp(string start, string name, bool skipFirst = false)
    {
        var dir = new DirectoryInfo(start);
        if (skipFirst) dir = dir.Parent;
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "BackOffice.sln"))) return null;
        }
        return null;
    }

    /// <summary>The folder that holds BackOffice.sln, or null when running from a published copy.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackOffice.sln"))) return dir.FullName;
        return null;
    }
}
