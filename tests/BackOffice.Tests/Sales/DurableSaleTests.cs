using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>
/// A 201 or a <c>recorded</c> means the sale is on disk: the server process is killed (SIGKILL) while four tills sync,
/// and after a restart on the same database every sale it acknowledged is there, once, and the ledger holds. On SQLite
/// that is the file's WAL with synchronous=FULL; on PostgreSQL, that the answer follows the commit.
/// </summary>
public sealed class DurableSaleTests
{
    [Fact]
    public async Task Every_sale_acknowledged_before_the_server_is_killed_mid_sync_is_there_after_a_restart()
    {
        var database = Path.Combine(TestDatabase.RunFolder, $"crash-{Guid.NewGuid():N}.db");
        using var serverDatabase = ShopDatabase.Provider != BackOffice.Core.Data.DatabaseProvider.Sqlite ? new ShopDatabase() : null;
        var token = "till_crash_" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = ShopDatabase.Provider.ToString(),
            ["ConnectionStrings__BackOffice"] = serverDatabase?.ConnectionString ?? $"Data Source={database}",
            ["Seed__DemoTillToken"] = token,
            ["Jobs__RunServer"] = "false",
        };
        var acknowledged = new ConcurrentDictionary<Guid, bool>();
        var server = await AppProcess.StartAsync(settings);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var catalog = await http.GetFromJsonAsync<JsonElement>("/api/till/catalog");
            var skus = catalog.GetProperty("products").EnumerateArray().Where(p => p.GetProperty("available").GetInt32() > 50)
                .Select(p => p.GetProperty("sku").GetString()!).Take(8).ToArray();
            skus.Length.ShouldBeGreaterThan(0);

            using var stop = new CancellationTokenSource();
            async Task TillAsync(int n)
            {
                var random = new Random(n);
                while (!stop.IsCancellationRequested)
                {
                    var sales = Enumerable.Range(0, random.Next(1, 6))
                        .Select(_ => Api.Sale(Guid.NewGuid(), skus[random.Next(skus.Length)], 1, 1.50m)).ToList();
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/till/sales/sync", new { sales }, JsonSerializerOptions.Web);
                        if (response.StatusCode != HttpStatusCode.OK) continue;
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                        foreach (var r in body.GetProperty("results").EnumerateArray())
                            if (r.GetProperty("status").GetString() == "recorded") acknowledged[Guid.Parse(r.GetProperty("saleId").GetString()!)] = true;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                    {
                        // The server is gone (killed): what it answered before counts, nothing after.
                        await Task.Delay(10);
                    }
                }
            }
            var tills = Enumerable.Range(0, 4).Select(TillAsync).ToList();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 200 && DateTime.UtcNow < until) await Task.Delay(20);
            acknowledged.Count.ShouldBeGreaterThan(0, "the tills recorded something before the crash");

            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(tills);
        }
        finally
        {
            await server.DisposeAsync();
        }

        // Restart on the same database (SQLite recovers from its WAL): every acknowledged sale is there.
        await using (var restarted = await AppProcess.StartAsync(settings))
        {
            await using var db = serverDatabase?.Open() ?? new BackOffice.Core.Data.BackOfficeDb(TestDatabase.OptionsFor(database));
            var ids = acknowledged.Keys.ToList();
            var found = new HashSet<Guid>();
            foreach (var chunk in ids.Chunk(200))
                found.UnionWith(await db.Sales.Where(s => chunk.Contains(s.Id)).Select(s => s.Id).ToListAsync());
            ids.Where(id => !found.Contains(id)).ShouldBeEmpty("acknowledged sales missing after the crash");
            var drift = await db.Batches.CountAsync(b => b.OnHand != db.Movements.Where(m => m.BatchId == b.Id).Sum(m => m.Quantity) || b.OnHand < 0);
            drift.ShouldBe(0, "on hand = Σ movements for every batch after recovery");
            var badLines = await db.SaleLines.CountAsync(l => db.Allocations.Where(a => a.SaleLineId == l.Id).Sum(a => a.Quantity) + l.Shortfall != l.Quantity);
            badLines.ShouldBe(0);
        }
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }
}
