using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace BackOffice.E2E.Support;

/// <summary>
/// The real app as a separate process (Development, its own SQLite file, a free port on loopback), ready once
/// /healthz answers 200, and Debian's Chromium launched through Playwright. One per test run.
/// </summary>
public sealed class BackOfficeServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _log = new();
    private Process? _app;
    private int _port;
    private IPlaywright? _playwright;

    public string RepositoryRoot { get; } = FindRepositoryRoot();
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
        var webDll = WebDllPath();
        File.Exists(webDll).ShouldBeTrue($"{webDll} is missing: build the solution (or src/BackOffice.Web) in the same configuration first");

        _port = FreePort();
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
    public async Task StartAppAsync()
    {
        var webDll = WebDllPath();
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the project folder, as with `dotnet run`: the app finds the repository's
            // appsettings.Development.json and wwwroot/ from there.
            WorkingDirectory = Path.Combine(RepositoryRoot, "src", "BackOffice.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BackOffice"] = $"Data Source={DatabasePath}";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        _app = new Process { StartInfo = start, EnableRaisingEvents = true };
        _app.OutputDataReceived += (_, e) => Log(e.Data);
        _app.ErrorDataReceived += (_, e) => Log(e.Data);
        _app.Start();
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();

        await WaitUntilHealthyAsync();
    }

    /// <summary>Stops the app process, as a server going down would; the database file stays.</summary>
    public async Task StopAppAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        _app = null;
    }

    /// <summary>A fresh browser context (its own cookies) on the app.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ArtifactsFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>What the app printed, for failure messages.</summary>
    public string AppLog
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        var jobs = Path.ChangeExtension(DatabasePath, ".hangfire.db");
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_app!.HasExited)
                throw new InvalidOperationException($"The app exited with code {_app.ExitCode} before it was healthy:\n{AppLog}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not answer /healthz with 200 within {StartTimeout.TotalSeconds} s:\n{AppLog}");
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private string WebDllPath()
    {
        var metadata = typeof(BackOfficeServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value);
        var configuration = metadata["BackOffice.BuildConfiguration"]!;
        var framework = metadata["BackOffice.TargetFramework"]!;
        return Path.Combine(RepositoryRoot, "src", "BackOffice.Web", "bin", configuration, framework, "BackOffice.Web.dll");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackOffice.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No BackOffice.sln above {AppContext.BaseDirectory}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class BackOfficeServerCollection : ICollectionFixture<BackOfficeServer>
{
    public const string Name = "BackOffice server";
}
