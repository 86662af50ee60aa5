using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tills;
using BackOffice.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

// Till API load: N tills in a closed loop posting sales for a fixed time, then the ledger checks, then StockChanged
// delivery latency to many hub connections.
//   dotnet run -c Release --project tests/LoadTest -- [--seconds 20] [--tills 16] [--hub 200] [--url http://… --db path.db]
//     [--postgres "Host=…;Username=…"]
// Without --url the app built beside this project is started on a fresh SQLite file (Development, demo data), or with
// --postgres on a fresh database of that PostgreSQL server.
var options = Options.Parse(args);
var json = JsonSerializerOptions.Web;
AppProcess? app = null;
var dbPath = options.Db;
string? postgres = null;
try
{
    var url = options.Url;
    if (url is null && options.Postgres is { } server)
    {
        // A database of its own on the PostgreSQL server given, migrated by the app at start (Database:Migrate).
        var name = $"bo_load_{Guid.NewGuid():N}";
        await using (var admin = new Npgsql.NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        postgres = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        Console.WriteLine($"Starting the app on PostgreSQL database {name} …");
        app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__Migrate"] = "true",
            ["ConnectionStrings__BackOffice"] = postgres,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["RateLimits__TillApi__PermitLimit"] = LoadTestLimits.TillApiPerMinute,
        }, timeout: TimeSpan.FromSeconds(180));
        url = app.BaseUrl;
        Console.WriteLine($"App {url} (pid {app.Pid})");
    }
    else if (url is null)
    {
        dbPath = Path.Combine(Path.GetTempPath(), $"backoffice-load-{Guid.NewGuid():N}.db");
        Console.WriteLine($"Starting the app on {dbPath} …");
        app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackOffice"] = $"Data Source={dbPath}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["RateLimits__TillApi__PermitLimit"] = LoadTestLimits.TillApiPerMinute,
        }, timeout: TimeSpan.FromSeconds(120));
        url = app.BaseUrl;
        Console.WriteLine($"App {url} (pid {app.Pid})");
    }
    if (dbPath is null && postgres is null) throw new ArgumentException("--db <path of the app's SQLite file> is needed with --url (tills are added to it and the ledger is checked in it).");
    BackOfficeDb Database() => new(new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(
        postgres is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql,
        postgres ?? new SqliteConnectionStringBuilder { DataSource = dbPath }.ToString()).Options);

    // Tills spread over the demo outlets, and the sellable skus of each outlet.
    var tills = new List<(string Token, string Outlet, string[] Skus)>();
    await using (var db = Database())
    {
        var outlets = await db.Outlets.OrderBy(o => o.Id).ToListAsync();
        var skus = new Dictionary<string, string[]>();
        foreach (var outlet in outlets)
        {
            var today = ExpiryRule.TodayAt(outlet, DateTimeOffset.UtcNow);
            skus[outlet.Code] = await db.Batches.Where(b => b.OutletId == outlet.Id && b.OnHand > 0 && b.Product.Active)
                .Where(ExpiryRule.IsSellableOn(today)).Select(b => b.Product.Sku).Distinct().ToArrayAsync();
        }
        for (var i = 0; i < options.Tills; i++)
        {
            var outlet = outlets[i % outlets.Count];
            var token = Secrets.NewToken("till");
            db.Tills.Add(new Till { Name = $"Load till {i + 1}", OutletId = outlet.Id, TokenHash = Secrets.Hash(token), CreatedAt = DateTime.UtcNow });
            tills.Add((token, outlet.Code, skus[outlet.Code]));
        }
        await db.SaveChangesAsync();
    }

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    HttpRequestMessage SaleRequest(string token, object sale) => new(HttpMethod.Post, "/api/till/sales")
    { Content = JsonContent.Create(sale, options: json), Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
    object NewSale(string[] skus, Random random)
    {
        var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => new { sku = skus[random.Next(skus.Length)], quantity = random.Next(1, 3), unitPrice = 2.49m }).ToArray();
        // Paid in cash, with room for tax added on top at a tax-exclusive outlet (New York): the rest is change.
        return new { saleId = Guid.NewGuid(), occurredAt = DateTimeOffset.UtcNow, lines, payments = new[] { new { method = "cash", amount = decimal.Round(lines.Sum(l => l.quantity * l.unitPrice) * 1.25m, 2) } } };
    }

    // Warm-up: JIT, connection pools, SQLite page cache.
    for (var i = 0; i < 50; i++)
        using (var r = await http.SendAsync(SaleRequest(tills[i % tills.Count].Token, NewSale(tills[i % tills.Count].Skus, new Random(i))))) r.EnsureSuccessStatusCode();

    // --- Throughput: closed loop ---------------------------------------------------------------------------------
    Console.WriteLine($"{options.Tills} tills posting sales for {options.Seconds} s …");
    var latencies = new ConcurrentBag<double>();
    var errors = new ConcurrentBag<string>();
    var recorded = 0;
    var appCpu = app is null ? TimeSpan.Zero : Process.GetProcessById(app.Pid).TotalProcessorTime;
    var databaseCpu = postgres is null ? 0 : LocalPostgresCpuMilliseconds();
    var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(options.Seconds);
    await Task.WhenAll(tills.Select((till, index) => Task.Run(async () =>
    {
        var random = new Random(1000 + index);
        while (clock.Elapsed < deadline)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(SaleRequest(till.Token, NewSale(till.Skus, random)));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref recorded);
                else errors.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e)
            {
                errors.Add(e.GetType().Name + ": " + e.Message);
            }
        }
    })));
    var elapsed = clock.Elapsed.TotalSeconds;
    var sorted = latencies.OrderBy(x => x).ToArray();
    Console.WriteLine();
    Console.WriteLine($"sales: {recorded} recorded in {elapsed:F1} s = {recorded / elapsed:F0} sales/s");
    Console.WriteLine($"latency: p50 {Percentile(sorted, 0.50):F1} ms, p95 {Percentile(sorted, 0.95):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted.LastOrDefault():F1} ms");
    Console.WriteLine($"errors: {errors.Count}");
    var loadCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalMilliseconds;
    if (app is not null)
    {
        var serverCpu = (Process.GetProcessById(app.Pid).TotalProcessorTime - appCpu).TotalMilliseconds;
        // A PostgreSQL server on this machine shares its cores: its processes' CPU says what the database itself costs a sale.
        var database = postgres is null ? "" : $", PostgreSQL server (its processes on this machine) {(LocalPostgresCpuMilliseconds() - databaseCpu) / recorded:F2} ms";
        Console.WriteLine($"cpu per sale: app {serverCpu / recorded:F2} ms, load generator {loadCpu / recorded:F2} ms{database} " +
                          $"(machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
    foreach (var e in errors.Take(5)) Console.WriteLine("  " + e);

    // --- Ledger --------------------------------------------------------------------------------------------------
    await using (var db = Database())
    {
        var drift = await db.Batches.CountAsync(b => b.OnHand < 0 || b.OnHand != db.Movements.Where(m => m.BatchId == b.Id).Sum(m => m.Quantity));
        var badLines = await db.SaleLines.CountAsync(l => db.Allocations.Where(a => a.SaleLineId == l.Id).Sum(a => a.Quantity) + l.Shortfall != l.Quantity);
        var loadSales = await db.Sales.CountAsync(s => s.TillId != null && db.Tills.Any(t => t.Id == s.TillId && t.Name.StartsWith("Load till")));
        Console.WriteLine($"ledger: {drift} batches with on hand ≠ Σ movements (or < 0); {badLines} sale lines with allocations + shortfall ≠ quantity; " +
                          $"{loadSales} sales of the load tills in the database (expected {recorded + 50})");
        if (drift != 0 || badLines != 0 || loadSales != recorded + 50) Environment.ExitCode = 2;
    }

    // --- Hub: StockChanged delivery to many connections ----------------------------------------------------------
    if (options.Hub > 0)
    {
        var outlet = tills[0].Outlet;
        var outletTills = tills.Where(t => t.Outlet == outlet).ToList();
        Console.WriteLine($"\nConnecting {options.Hub} hub connections (WebSockets, outlet {outlet}) …");
        var sku = tills[0].Skus[0];
        ConcurrentBag<long>? current = null;
        var connections = new List<HubConnection>();
        for (var i = 0; i < options.Hub; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl($"{url}/hubs/stock?access_token={Uri.EscapeDataString(outletTills[i % outletTills.Count].Token)}", o => o.Transports = HttpTransportType.WebSockets)
                .Build();
            connection.On<JsonElement>("StockChanged", m =>
            {
                if (m.GetProperty("sku").GetString() == sku) Volatile.Read(ref current)?.Add(Stopwatch.GetTimestamp());
            });
            connections.Add(connection);
        }
        await Task.WhenAll(connections.Select(c => c.StartAsync()));
        // Invocations run after the server joined the connection to its outlet's group: no message is missed for a late join.
        await Task.WhenAll(connections.Select(c => c.InvokeAsync<string[]>("WatchedOutlets")));

        // Sequential rounds: one sale of one sku, then wait until every connection has its StockChanged (or 5 s).
        var delivery = new List<double>();
        var missed = 0;
        const int rounds = 40;
        for (var round = 0; round < rounds; round++)
        {
            var bag = new ConcurrentBag<long>();
            Volatile.Write(ref current, bag);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(SaleRequest(outletTills[0].Token, new
            {
                saleId = Guid.NewGuid(), occurredAt = DateTimeOffset.UtcNow, lines = new[] { new { sku, quantity = 1, unitPrice = 1m } },
            }));
            response.EnsureSuccessStatusCode();
            var waitUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
            while (bag.Count < options.Hub && Stopwatch.GetTimestamp() < waitUntil) await Task.Delay(1);
            Volatile.Write(ref current, null);
            delivery.AddRange(bag.Select(at => Stopwatch.GetElapsedTime(started, at).TotalMilliseconds));
            missed += Math.Max(0, options.Hub - bag.Count);
        }
        var hubSorted = delivery.OrderBy(x => x).ToArray();
        Console.WriteLine($"hub: {rounds} sales x {options.Hub} connections: {hubSorted.Length} StockChanged received, {missed} missed; " +
                          $"from POST to delivery p50 {Percentile(hubSorted, 0.50):F1} ms, p95 {Percentile(hubSorted, 0.95):F1} ms, max {hubSorted.LastOrDefault():F1} ms");
        if (missed > 0) Environment.ExitCode = 3;
        await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
    }
}
finally
{
    if (app is not null) await app.DisposeAsync();
    if (options.Url is null && dbPath is not null)
        foreach (var file in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    if (postgres is not null && options.Postgres is { } server)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

// CPU time (user + system) of every process named postgres on this machine, from /proc (clock ticks of 10 ms).
static double LocalPostgresCpuMilliseconds()
{
    double ticks = 0;
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var close = stat.LastIndexOf(')');
            if (close < 0 || !stat[..close].EndsWith("(postgres", StringComparison.Ordinal)) continue;
            var fields = stat[(close + 2)..].Split(' ');
            ticks += double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
    return ticks * 10;
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

sealed record Options(string? Url, string? Db, string? Postgres, int Seconds, int Tills, int Hub)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(Value("--url"), Value("--db"), Value("--postgres"), Int("--seconds", 20), Int("--tills", 16), Int("--hub", 200));
    }
}

/// <summary>
/// A till here sells as fast as the server answers (tens of sales a second), far above what RateLimits:TillApi lets one
/// real till do: the app the load test starts gets a limit it never meets. An app given with --url needs the same.
/// </summary>
internal static class LoadTestLimits
{
    public const string TillApiPerMinute = "10000000";
}
