using System.Text.Json;
using BackOffice.Testing;
using Microsoft.Playwright;

namespace BackOffice.E2E.Support;

/// <summary>
/// The real app as a separate process (Development, its own SQLite file, a free port on loopback), ready once
/// /healthz answers 200, and Debian's Chromium launched through Playwright. One per test run.
/// </summary>
public sealed class BackOfficeServer : IAsyncLifetime
{
    private AppProcess? _app;
    private int _port;
    private IPlaywright? _playwright;

    public string RepositoryRoot { get; } = AppProcess.RepositoryRoot();
    public string BaseUrl { get; private set; } = "";
    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"backoffice-e2e-{Guid.NewGuid():N}.db");
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: $BACKOFFICE_E2E_ARTIFACTS, or screenshots/ beside the test assembly.</summary>
    public string ArtifactsFolder { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("BACKOFFICE_E2E_ARTIFACTS") is { Length: > 0 } folder
            ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>The dev admin of the repository's appsettings.Development.json (Seed:AdminEmail, Seed:AdminPassword).</summary>
    public (string Email, string Password) DevAdmin()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "appsettings.Development.json")));
        var seed = json.RootElement.GetProperty("Seed");
        return (seed.GetProperty("AdminEmail").GetString()!, seed.GetProperty("AdminPassword").GetString()!);
    }

    /// <summary>The demo till's token (Seed:DemoTillToken): a till at the first demo outlet.</summary>
    public string DemoTillToken()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "appsettings.Development.json")));
        return json.RootElement.GetProperty("Seed").GetProperty("DemoTillToken").GetString()!;
    }

    /// <summary>A scalar read from the app's database, to check what reached the server.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public async Task InitializeAsync()
    {
        _port = AppProcess.FreePort();
        BaseUrl = $"http://127.0.0.1:{_port}";
        await StartAppAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Starts the app process (again) on the same port and database, and waits until it is healthy.</summary>
    /// <remarks>
    /// Every test signs in from 127.0.0.1, more often in a minute than RateLimits:SignInPerAddress lets one address:
    /// that limit is raised here (the limits are tested in BackOffice.Tests); the others are the app's defaults.
    /// </remarks>
    public async Task StartAppAsync() =>
        _app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackOffice"] = $"Data Source={DatabasePath}",
            ["RateLimits__SignInPerAddress__PermitLimit"] = "10000",
        }, builtBeside: typeof(BackOfficeServer).Assembly, port: _port);

    /// <summary>Stops the app process, as a server going down would; the database file stays.</summary>
    public async Task StopAppAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>A fresh browser context (its own cookies) on the app, whose Content-Security-Policy violations are kept.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        context.Console += (_, message) =>
        {
            if (IsCspViolation(message.Text)) _cspViolations.Enqueue($"{message.Page?.Url}: {message.Text}");
        };
        return context;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _cspViolations = new();

    /// <summary>
    /// What any page of the run was refused by the app's Content-Security-Policy (Chromium reports each on the console).
    /// The run fails on any, at the end (<see cref="DisposeAsync"/>), whichever test's page it was.
    /// </summary>
    public IReadOnlyCollection<string> CspViolations => _cspViolations;

    public static bool IsCspViolation(string consoleText) => consoleText.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase);

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ArtifactsFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>What the app printed, for failure messages.</summary>
    public string AppLog => _app?.Log ?? "";

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await StopAppAsync();
        var jobs = Path.ChangeExtension(DatabasePath, ".hangfire.db");
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
        if (!_cspViolations.IsEmpty)
            throw new InvalidOperationException("Pages of this run broke the Content-Security-Policy:\n" + string.Join("\n", _cspViolations.Distinct()));
    }
}

[CollectionDefinition(Name)]
public sealed class BackOfficeServerCollection : ICollectionFixture<BackOfficeServer>
{
    public const string Name = "BackOffice server";
}
