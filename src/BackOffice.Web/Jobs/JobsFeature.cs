using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using BackOffice.Core.Inventory;
using BackOffice.Web.Hosting;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;

namespace BackOffice.Web.Jobs;

/// <summary>The Jobs:* configuration keys (README, configuration table).</summary>
public sealed class JobOptions
{
    /// <summary>Whether this node processes jobs. Off, it still schedules them and serves the dashboard.</summary>
    public bool RunServer { get; set; } = true;
    /// <summary>
    /// Expiry marking, in UTC. Hourly at minute 5 by default: outlets are in different time zones, so each one is
    /// covered within the hour after its own midnight (a run where nothing has expired costs two small reads).
    /// </summary>
    public string ExpiryCron { get; set; } = "5 * * * *";
    /// <summary>The daily near-expiry alert, in UTC.</summary>
    public string NearExpiryCron { get; set; } = "15 5 * * *";
    /// <summary>The daily low-stock alert, in UTC.</summary>
    public string LowStockCron { get; set; } = "20 5 * * *";
    /// <summary>Jobs processed at once on this node.</summary>
    public int WorkerCount { get; set; } = 2;
    /// <summary>How far ahead the near-expiry alert looks, and per outlet code where it differs.</summary>
    public int NearExpiryDays { get; set; } = 30;
    public Dictionary<string, int> NearExpiryDaysByOutlet { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public static class JobsFeature
{
    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Jobs").Get<JobOptions>() ?? new JobOptions();
        if (options.NearExpiryDays < 1 || options.NearExpiryDaysByOutlet.Values.Any(d => d < 1))
            throw new InvalidOperationException("Jobs:NearExpiryDays (and each Jobs:NearExpiryDaysByOutlet value) must be at least 1.");
        if (options.WorkerCount < 1)
            throw new InvalidOperationException("Jobs:WorkerCount must be at least 1.");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new StockAlertOptions
        {
            NearExpiryDays = options.NearExpiryDays,
            NearExpiryDaysByOutlet = new Dictionary<string, int>(options.NearExpiryDaysByOutlet, StringComparer.OrdinalIgnoreCase),
        });
        builder.Services.AddScoped<ExpiryMarking>();
        builder.Services.AddScoped<StockAlerts>();
        builder.Services.AddScoped<StockJobs>();
        builder.Services.AddScoped<JobRuns>();
        builder.Services.AddScoped<NotificationCounter>();

        // The storage is this app's own singleton (registered before AddHangfire, which then keeps it), so that two
        // hosts in one process — tests — each use their own, not Hangfire's static JobStorage.Current.
        builder.Services.AddSingleton<JobStorage>(sp => CreateStorage(sp.GetRequiredService<DatabaseConnection>()));
        builder.Services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        if (options.RunServer)
            builder.Services.AddHangfireServer((sp, o) =>
            {
                // Jobs get their services from this host. Hangfire's default activator is process-wide static state,
                // which the last host started in the process would own.
                o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                o.WorkerCount = options.WorkerCount;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
    }

    /// <summary>
    /// SQLite: a file of its own next to the app's database (Hangfire's SQLite storage has its own schema and
    /// locking). SQL Server: the app's database, schema "hangfire", created on first use.
    /// </summary>
    public static JobStorage CreateStorage(DatabaseConnection database) => database.Provider switch
    {
        DatabaseProvider.Sqlite => new SQLiteStorage(SqliteStoragePath(database.ConnectionString), new SQLiteStorageOptions
        {
            // The "run now" buttons wait for their job: pick it up within a second, not the default 15.
            QueuePollInterval = TimeSpan.FromSeconds(1),
        }),
        DatabaseProvider.SqlServer => new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.Zero,
            SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
        }),
        DatabaseProvider.PostgreSql => new Hangfire.PostgreSql.PostgreSqlStorage(
            new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString, PostgreSqlJobOptions), PostgreSqlJobOptions),
        _ => throw new ArgumentOutOfRangeException(nameof(database)),
    };

    private static readonly Hangfire.PostgreSql.PostgreSqlStorageOptions PostgreSqlJobOptions = new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>backoffice.db → backoffice.hangfire.db in the same folder.</summary>
    public static string SqliteStoragePath(string appConnectionString)
    {
        var file = new SqliteConnectionStringBuilder(appConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
            throw new InvalidOperationException("Hangfire's SQLite storage needs the app database to be a file (ConnectionStrings:BackOffice).");
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(file) + ".hangfire.db");
    }

    /// <summary>Schedules the recurring jobs (every node may do it: AddOrUpdate is idempotent) and maps the dashboard.</summary>
    public static void MapJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<JobOptions>();
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        Schedule(recurring, StockJobs.ExpiryJobId, "Jobs:ExpiryCron", options.ExpiryCron,
            id => recurring.AddOrUpdate<StockJobs>(id, j => j.MarkExpiredAsync(CancellationToken.None), options.ExpiryCron, utc));
        Schedule(recurring, StockJobs.NearExpiryJobId, "Jobs:NearExpiryCron", options.NearExpiryCron,
            id => recurring.AddOrUpdate<StockJobs>(id, j => j.CheckNearExpiryAsync(CancellationToken.None), options.NearExpiryCron, utc));
        Schedule(recurring, StockJobs.LowStockJobId, "Jobs:LowStockCron", options.LowStockCron,
            id => recurring.AddOrUpdate<StockJobs>(id, j => j.CheckLowStockAsync(CancellationToken.None), options.LowStockCron, utc));

        // The back-office policy answers first (browser → login page, script → 401, cashier → 403); the dashboard's
        // own filter checks the roles again, and managers only look.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new BackOfficeDashboardAuthorization()],
            IsReadOnlyFunc = BackOfficeDashboardAuthorization.IsReadOnly,
            DashboardTitle = "BackOffice jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.BackOffice);
    }

    private static void Schedule(IRecurringJobManager recurring, string id, string key, string cron, Action<string> addOrUpdate)
    {
        if (string.IsNullOrWhiteSpace(cron) || cron.Trim().Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            // "never": on demand only.
            recurring.RemoveIfExists(id);
            return;
        }
        try
        {
            addOrUpdate(id);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{key} '{cron}' is not a valid cron expression: {e.Message}", e);
        }
    }
}

/// <summary>The jobs dashboard is for admins and managers; only admins may trigger, retry or delete jobs.</summary>
public sealed class BackOfficeDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Manager));
    }

    public static bool IsReadOnly(DashboardContext context) => !context.GetHttpContext().User.IsInRole(Roles.Admin);
}

/// <summary>
/// Hangfire's log provider is process-wide; with several hosts in one process (tests) it may outlive the host whose
/// logger factory it wraps. A logger asked for after that host stopped is silent instead of throwing.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggers);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
