using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using BackOffice.Core.Data;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.ScaleOut;

/// <summary>
/// Two instances of the real app (separate processes on loopback) sharing one database on the run's provider (a SQLite
/// file, or one PostgreSQL database) and a redis-server started here: what one server does, the other's tills hear;
/// what one server signs, the other reads.
/// </summary>
public sealed class TwoServers : IAsyncLifetime
{
    private ShopDatabase? _server;
    private readonly string _sqlitePath = Path.Combine(TestDatabase.RunFolder, $"two-servers-{Guid.NewGuid():N}.db");

    public RedisProcess Redis { get; private set; } = null!;
    public AppProcess One { get; private set; } = null!;
    public AppProcess Two { get; private set; } = null!;
    public string TillToken { get; } = "till_scaleout_" + Guid.NewGuid().ToString("N");
    public string AdminEmail => "admin@backoffice.local";
    public string AdminPassword { get; } = "Scale-Out-Passw0rd!";

    public async Task InitializeAsync()
    {
        Redis = await RedisProcess.StartAsync();
        // SQLite: a file the first server creates and migrates. PostgreSQL, SQL Server: a migrated database of its own on the run's server.
        if (ShopDatabase.Provider != DatabaseProvider.Sqlite) _server = new ShopDatabase();
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = ShopDatabase.Provider.ToString(),
            ["ConnectionStrings__BackOffice"] = _server?.ConnectionString ?? $"Data Source={_sqlitePath}",
            ["Redis__Configuration"] = Redis.Configuration,
            ["Seed__DemoTillToken"] = TillToken,
            ["Seed__AdminEmail"] = AdminEmail,
            ["Seed__AdminPassword"] = AdminPassword,
        };
        // One after the other: the first migrates and seeds the shared database, the second finds it ready.
        One = await AppProcess.StartAsync(settings);
        Two = await AppProcess.StartAsync(settings);
    }

    public BackOfficeDb NewContext() => _server?.Open() ?? new(TestDatabase.OptionsFor(_sqlitePath));

    public async Task DisposeAsync()
    {
        if (Two is not null) await Two.DisposeAsync();
        if (One is not null) await One.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        _server?.Dispose();
        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }
}

public sealed class TwoServerTests(TwoServers servers) : IClassFixture<TwoServers>
{
    private HttpClient Till(AppProcess server)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", servers.TillToken);
        return client;
    }

    private async Task<string> InStockSkuAsync(int atLeast)
    {
        await using var db = servers.NewContext();
        var outletId = await db.Outlets.Where(o => o.Code == Api.DemoOutlet).Select(o => o.Id).SingleAsync();
        var today = Core.Inventory.ExpiryRule.TodayAt(await db.Outlets.SingleAsync(o => o.Id == outletId), DateTimeOffset.UtcNow);
        return await db.Batches.Where(b => b.OutletId == outletId && b.OnHand >= atLeast && b.Product.Active)
            .Where(Core.Inventory.ExpiryRule.IsSellableOn(today)).Select(b => b.Product.Sku).FirstAsync();
    }

    [Fact]
    public async Task A_till_on_server_two_hears_a_sale_posted_to_server_one()
    {
        var sku = await InStockSkuAsync(5);
        // WebSockets on real Kestrel with the token in the access_token query, as browsers send it.
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"{servers.Two.BaseUrl}/hubs/stock?access_token={Uri.EscapeDataString(servers.TillToken)}", o => o.Transports = HttpTransportType.WebSockets)
            .Build();
        var heard = new ConcurrentQueue<(string OutletCode, string Sku, int Available)>();
        hub.On<StockChangedMessage>("StockChanged", m => heard.Enqueue((m.OutletCode, m.Sku, m.Available)));
        await hub.StartAsync();
        (await hub.InvokeAsync<string[]>("WatchedOutlets")).ShouldBe([Api.DemoOutlet], "joined its outlet's group (through Redis)");

        using var one = Till(servers.One);
        var response = await one.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), sku, 2));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        var until = DateTime.UtcNow.AddSeconds(10);
        while (!heard.Any(m => m.Sku == sku) && DateTime.UtcNow < until) await Task.Delay(20);
        var message = heard.FirstOrDefault(m => m.Sku == sku);
        message.Sku.ShouldBe(sku, "server two's till heard server one's sale through Redis\n" + servers.One.Log + "\n" + servers.Two.Log);
        message.OutletCode.ShouldBe(Api.DemoOutlet);

        // The figure is the database's after the sale.
        var catalog = await (await Till(servers.Two).GetAsync("/api/till/catalog")).JsonAsync();
        var available = catalog["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == sku)!["available"]!.GetValue<int>();
        message.Available.ShouldBe(available);
    }

    [Fact]
    public async Task The_same_sale_posted_to_both_servers_at_once_is_recorded_once()
    {
        var sku = await InStockSkuAsync(3);
        using var one = Till(servers.One);
        using var two = Till(servers.Two);
        for (var round = 0; round < 10; round++)
        {
            var saleId = Guid.NewGuid();
            var sale = Api.Sale(saleId, sku, 1, 1.00m, DateTimeOffset.UtcNow.AddMinutes(-1));
            var answers = await Task.WhenAll(one.PostJsonAsync("/api/till/sales", sale), two.PostJsonAsync("/api/till/sales", sale));

            answers.Select(a => a.StatusCode).OrderBy(s => s).ToArray().ShouldBe(new[] { HttpStatusCode.OK, HttpStatusCode.Created }, $"round {round}");
            var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
            bodies[0].ShouldBe(bodies[1]);

            await using var db = servers.NewContext();
            (await db.Sales.CountAsync(s => s.Id == saleId)).ShouldBe(1);
            var reference = "sale:" + saleId.ToString("D");
            (await db.Movements.Where(m => m.Reference == reference).SumAsync(m => m.Quantity)).ShouldBe(-1, "one unit taken once");
        }
    }

    [Fact]
    public async Task A_sign_in_cookie_from_server_one_is_accepted_by_server_two()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler);
        var page = await client.GetAsync(servers.One.BaseUrl + "/account/login");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]);
        var post = new HttpRequestMessage(HttpMethod.Post, servers.One.BaseUrl + "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Html.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
                ["Email"] = servers.AdminEmail, ["Password"] = servers.AdminPassword, ["ReturnUrl"] = "/",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery));
        var signedIn = await client.SendAsync(post);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/");
        var auth = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("backoffice.auth="));

        foreach (var server in new[] { servers.Two, servers.One })
        {
            var home = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/");
            home.Headers.Add("Cookie", auth);
            home.Headers.Accept.ParseAdd("text/html");
            var response = await client.SendAsync(home);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"the cookie on {server.BaseUrl}");
        }

        await using var db = servers.NewContext();
        (await db.DataProtectionKeys.CountAsync()).ShouldBeGreaterThan(0, "keys are kept in the shared database");
    }

    public sealed record StockChangedMessage(string OutletCode, string Sku, int Available);
}
