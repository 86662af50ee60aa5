using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Tests.Operations;

/// <summary>The app with every log line of every category, at every level, captured with its scopes and state.</summary>
public sealed class LoggedApp : BackOfficeAppFactory
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(Logs);
            // A rule for this provider beats the configuration's per-category levels: Trace, everywhere.
            s.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>(null, LogLevel.Trace));
        });
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, string Text, IReadOnlyDictionary<string, object?> Values);

public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Everything a log sink could write: the message, the exception, each state and scope value.
            var text = new StringBuilder(formatter(state, exception)).Append(' ').Append(exception);
            var values = new Dictionary<string, object?>();
            void Add(object? item)
            {
                text.Append(' ').Append(item);
                if (item is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs)
                    {
                        values[key] = value;
                        text.Append(' ').Append(key).Append('=').Append(value);
                    }
            }
            Add(state);
            capture._scopes.ForEachScope((scope, _) => Add(scope), (object?)null);
            capture.Entries.Enqueue(new CapturedLog(category, logLevel, text.ToString(), values));
        }
    }
}

/// <summary>Logs carry the sale and the till, never a credential: through sign-in, till sync, API key calls and refused credentials.</summary>
public sealed class LogRedactionTests(LoggedApp app) : IClassFixture<LoggedApp>
{
    [Fact]
    public async Task No_token_api_key_or_password_is_ever_logged_while_sales_and_tills_are()
    {
        const string wrongPassword = "Wrong-Secret-Passw0rd-4711";
        const string unknownToken = "till_unknown_secret_token_0815";
        const string unknownKey = "key_unknown_secret_key_0815";
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("LOG", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 5));
        app.Logs.Entries.Clear();

        // Sign-in: right and wrong password.
        var email = await app.EnsureUserAsync(Core.Identity.Roles.Manager);
        (await BackOfficeAppFactory.SignInAsync(app.CreateBrowserClient(), email, wrongPassword)).Headers.Location!.OriginalString.ShouldContain("error=");
        (await BackOfficeAppFactory.SignInAsync(app.CreateBrowserClient(), email, BackOfficeAppFactory.TestPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A till: a direct sale and a sync with a recorded and a rejected sale.
        var saleId = Guid.NewGuid();
        var rejectedId = Guid.NewGuid();
        using var till = app.TillClient();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await till.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { Api.Sale(saleId, product.Sku), Api.Sale(rejectedId, "NO-SUCH-SKU") } }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // An integration: a product saved and stock read with the API key.
        using var integration = app.IntegrationClient();
        (await integration.PutAsJsonAsync($"/api/products/{product.Sku}", new { name = "Logged product", price = 2.5m }, System.Text.Json.JsonSerializerOptions.Web))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await integration.GetAsync($"/api/stock/{Api.DemoOutlet}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Refused credentials: unknown ones, and each kind on the other's routes.
        (await app.BearerClient(unknownToken).GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.BearerClient(unknownKey).GetAsync($"/api/stock/{Api.DemoOutlet}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.BearerClient(app.IntegrationKey()).GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.BearerClient(app.DemoTillToken()).GetAsync($"/api/stock/{Api.DemoOutlet}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var logs = app.Logs.Entries.ToList();
        logs.Count.ShouldBeGreaterThan(20, "the capture saw the requests");
        // The framework's own request and query lines too, which the shipped levels (Microsoft.AspNetCore: Warning) hide.
        logs.ShouldContain(l => l.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) && l.Level == LogLevel.Information);
        logs.ShouldContain(l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && l.Level <= LogLevel.Debug);
        foreach (var secret in new[] { app.DemoTillToken(), app.IntegrationKey(), BackOfficeAppFactory.TestPassword, wrongPassword, unknownToken, unknownKey })
            logs.Where(l => l.Text.Contains(secret, StringComparison.Ordinal)).Select(l => $"{l.Category}: {l.Text}").ShouldBeEmpty($"a log line holds '{secret}'");

        // What the logs are for: which sale, which till.
        var sync = logs.Where(l => l.Category == "BackOffice.Web.Sales.TillSync").ToList();
        sync.ShouldContain(l => Equals(l.Values.GetValueOrDefault("SaleId"), saleId.ToString()) && l.Values.ContainsKey("TillId"), "the recorded sale's line");
        sync.ShouldContain(l => l.Level == LogLevel.Warning && Equals(l.Values.GetValueOrDefault("SaleId"), rejectedId.ToString()) && l.Values.ContainsKey("TillId"),
            "the rejected sale's warning");
        sync.ShouldContain(l => l.Level == LogLevel.Information && l.Text.StartsWith("Sync from till ", StringComparison.Ordinal));
    }
}
