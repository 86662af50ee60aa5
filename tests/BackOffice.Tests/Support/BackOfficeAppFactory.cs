using System.Net;
using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Support;

/// <summary>
/// The real app in memory, in Development (so the migrations and the seed run as on a developer's machine) on its
/// own database on the run's provider (<see cref="ShopDatabase.Provider"/>): a temporary SQLite file the app migrates
/// itself, or a migrated database on the PostgreSQL or SQL Server of the run. Share one per test class with <c>IClassFixture</c>.
/// </summary>
public class BackOfficeAppFactory : WebApplicationFactory<Program>
{
    /// <summary>The password of the users made by <see cref="SignedInClientAsync"/>.</summary>
    public const string TestPassword = "Test-Passw0rd!";

    private readonly SemaphoreSlim _usersLock = new(1, 1);

    private readonly ShopDatabase? _server;
    private readonly string? _databasePath;

    public BackOfficeAppFactory()
    {
        if (Provider == DatabaseProvider.Sqlite) _databasePath = Path.Combine(TestDatabase.RunFolder, $"app-{Guid.NewGuid():N}.db");
        else _server = new ShopDatabase();
    }

    public static DatabaseProvider Provider => ShopDatabase.Provider;

    /// <summary>The app's SQLite file (SQLite runs only).</summary>
    public string DatabasePath => _databasePath ?? throw new InvalidOperationException($"No file: this run is on {Provider}.");

    /// <summary>What names the app's database in its connection string: the SQLite file, or the server's database.</summary>
    public string DatabaseName => _server?.Name ?? _databasePath!;

    public string ConnectionString => _server?.ConnectionString ?? TestDatabase.ConnectionStringFor(_databasePath!);

    /// <summary>
    /// Seeds the ~300 products and ~2,000 batches of the demo data (Seed:DemoData). It costs a second or two per
    /// factory: a class that needs no stock figures turns it off.
    /// </summary>
    protected virtual bool DemoData => true;

    /// <summary>
    /// Whether the app runs a Hangfire server (Jobs:RunServer). Off by default: the jobs are still scheduled in the
    /// factory's own Hangfire file beside its database, but nothing polls it; job tests turn it on.
    /// </summary>
    protected virtual bool RunJobServer => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:BackOffice", ConnectionString);
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Seed:DemoData", DemoData ? "true" : "false");
        builder.UseSetting("Jobs:RunServer", RunJobServer ? "true" : "false");
        builder.UseLimitsTestsDoNotMeet();
        // The app's contexts under a retrying strategy, as on SQL Server and PostgreSQL: a transaction begun outside it fails a test.
        if (Provider == DatabaseProvider.Sqlite)
            builder.ConfigureServices(s => s.ConfigureDbContext<BackOfficeDb>(o =>
                o.UseSqlite(x => x.ExecutionStrategy(d => new RetryingExecutionStrategy(d)))));
    }

    /// <summary>A browser-like client: HTML accepted, cookies kept, redirects returned (not followed) so they can be asserted.</summary>
    public HttpClient CreateBrowserClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    /// <summary>A browser client signed in as a user in <paramref name="role"/> (Admin, Manager or Cashier), made if missing.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role)
    {
        var email = await EnsureUserAsync(role);
        var client = CreateBrowserClient();
        var response = await SignInAsync(client, email, TestPassword);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"signing in as {email}");
        response.Headers.Location!.OriginalString.ShouldNotContain("error=", customMessage: $"signing in as {email}");
        return client;
    }

    public Task<HttpClient> AdminClientAsync() => SignedInClientAsync(Roles.Admin);
    public Task<HttpClient> ManagerClientAsync() => SignedInClientAsync(Roles.Manager);
    public Task<HttpClient> CashierClientAsync() => SignedInClientAsync(Roles.Cashier);

    /// <summary>
    /// Signs in as a person does: GET the login page (antiforgery cookie and token), then POST its form.
    /// Returns the POST's response (a redirect).
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        var page = await client.GetAsync("/account/login");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = Html.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Email"] = email,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
        });
        return await client.PostAsync("/account/login", form);
    }

    /// <summary>A user in <paramref name="role"/> with <see cref="TestPassword"/>; returns its email.</summary>
    public async Task<string> EnsureUserAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}@tests.local";
        await _usersLock.WaitAsync();
        try
        {
            using var scope = Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            if (await users.FindByEmailAsync(email) is not null) return email;
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Test {role}" };
            var created = await users.CreateAsync(user, TestPassword);
            created.Succeeded.ShouldBeTrue(string.Join("; ", created.Errors.Select(e => e.Description)));
            (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
            return email;
        }
        finally
        {
            _usersLock.Release();
        }
    }

    /// <summary>A context on the app's database (dispose the scope's owner: use it inside <c>using</c>).</summary>
    public AsyncServiceScope CreateDbScope(out BackOfficeDb db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<BackOfficeDb>();
        return scope;
    }

    /// <summary>A value of the app's effective configuration.</summary>
    public string? Setting(string key) => Services.GetRequiredService<IConfiguration>()[key];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _usersLock.Dispose();
        if (_server is not null)
        {
            _server.Dispose();
            return;
        }
        var jobs = Path.ChangeExtension(DatabasePath, ".hangfire.db");
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The app without the demo catalog and stock (users, roles, the till and API key only): faster to start.</summary>
public sealed class BackOfficeAppWithoutDemoData : BackOfficeAppFactory
{
    protected override bool DemoData => false;
}
