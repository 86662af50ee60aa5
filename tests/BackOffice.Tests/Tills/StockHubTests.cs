using System.Collections.Concurrent;
using System.Net;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackOffice.Tests.Tills;

/// <summary>/hubs/stock with the .NET SignalR client through the test server: outlet groups, till tokens, back-office watchers.</summary>
public sealed class StockHubTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    public sealed record Message(string OutletCode, string Sku, int Available);

    private HubConnection Connect(string? token, Action<HttpConnectionOptions>? more = null)
    {
        var server = app.Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/stock"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                more?.Invoke(o);
            })
            .Build();
    }

    private static ConcurrentQueue<Message> Listen(HubConnection connection)
    {
        var received = new ConcurrentQueue<Message>();
        connection.On<Message>("StockChanged", m => received.Enqueue(m));
        return received;
    }

    private static async Task<Message> WaitForAsync(ConcurrentQueue<Message> queue, Func<Message, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var hit = queue.FirstOrDefault(match);
            if (hit is not null) return hit;
            await Task.Delay(20);
        }
        throw new TimeoutException("no matching StockChanged: got " + string.Join(", ", queue));
    }

    [Fact]
    public async Task A_till_hears_its_outlets_sale_with_the_new_available_and_a_till_of_another_outlet_hears_nothing()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("H1", today.AddDays(20), 6), ("H2", today.AddDays(40), 4));
        await using var tillA = Connect(app.DemoTillToken());
        await using var tillB = Connect(await app.AddTillAsync("PAR-01"));
        var heardA = Listen(tillA);
        var heardB = Listen(tillB);
        await tillA.StartAsync();
        await tillB.StartAsync();
        (await tillA.InvokeAsync<string[]>("WatchedOutlets")).ShouldBe([Api.DemoOutlet]);
        (await tillB.InvokeAsync<string[]>("WatchedOutlets")).ShouldBe(["PAR-01"]);

        using var till = app.TillClient();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku, 7))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var message = await WaitForAsync(heardA, m => m.Sku == product.Sku, TimeSpan.FromSeconds(10));
        message.OutletCode.ShouldBe(Api.DemoOutlet);
        message.Available.ShouldBe(3);
        heardA.Count(m => m.Sku == product.Sku).ShouldBe(1, "one message per sku per transaction");

        // Something B would hear (a sale at B) proves B's connection works, and that it never got A's message.
        var paris = await app.AddStockedProductAsync("PAR-01", ("P", today.AddDays(20), 5));
        var parisMessage = await WaitForAsync(heardB, m => m.Sku == paris.Sku, TimeSpan.FromSeconds(10));
        parisMessage.Available.ShouldBe(5);
        heardB.ShouldNotContain(m => m.OutletCode == Api.DemoOutlet);
        heardA.ShouldNotContain(m => m.OutletCode == "PAR-01");
    }

    [Fact]
    public async Task A_recall_tells_the_tills_of_every_outlet_holding_the_lot_to_fetch_their_catalog_and_no_other()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("RC-1", today.AddDays(90), 5));
        var paris = await app.AddStockedProductAsync("PAR-01", ("RC-2", today.AddDays(90), 5));
        await using var tillA = Connect(app.DemoTillToken());
        await using var tillB = Connect(await app.AddTillAsync("PAR-01"));
        var catalogA = new ConcurrentQueue<string>();
        var catalogB = new ConcurrentQueue<string>();
        tillA.On<CatalogMessage>("CatalogChanged", m => catalogA.Enqueue(m.OutletCode));
        tillB.On<CatalogMessage>("CatalogChanged", m => catalogB.Enqueue(m.OutletCode));
        await tillA.StartAsync();
        await tillB.StartAsync();
        await tillA.InvokeAsync<string[]>("WatchedOutlets");
        await tillB.InvokeAsync<string[]>("WatchedOutlets");
        using var api = app.IntegrationClient();

        (await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "RC-1", reason = "Notice" })).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => !catalogA.IsEmpty);
        catalogA.ToArray().ShouldBe([Api.DemoOutlet]);

        // A recall at Paris proves B's connection hears such messages, and that it never got A's.
        (await api.PostJsonAsync("/api/lots/recall", new { sku = paris.Sku, lotNumber = "RC-2", reason = "Notice" })).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => !catalogB.IsEmpty);
        catalogB.ToArray().ShouldBe(["PAR-01"]);
        catalogA.ToArray().ShouldBe([Api.DemoOutlet], "nothing of Paris's recall");

        // A release changes the catalog's recalled lots too.
        (await api.PostJsonAsync("/api/lots/release", new { sku = product.Sku, lotNumber = "RC-1", reason = "Withdrawn" })).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => catalogA.Count == 2);
    }

    public sealed record CatalogMessage(string OutletCode);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("no CatalogChanged within 10 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Without_a_valid_till_token_the_connection_is_refused()
    {
        foreach (var token in new[] { null, "till_unknown", app.IntegrationKey(), await app.AddTillAsync(Api.DemoOutlet, revoked: true) })
        {
            await using var connection = Connect(token);
            var error = await Should.ThrowAsync<HttpRequestException>(() => connection.StartAsync());
            error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"token {token ?? "(none)"}");
        }
    }

    [Fact]
    public async Task A_manager_joins_the_outlets_they_ask_for_and_a_till_may_not()
    {
        var today = await app.TodayAtAsync("NYC-01");
        var cookieHeader = await SignInCookieAsync(Core.Identity.Roles.Manager);
        await using var watcher = Connect(null, o => o.Headers["Cookie"] = cookieHeader);
        var heard = Listen(watcher);
        await watcher.StartAsync();
        (await watcher.InvokeAsync<bool>("JoinOutlet", "NYC-01")).ShouldBeTrue();
        (await watcher.InvokeAsync<bool>("JoinOutlet", "NOWHERE")).ShouldBeFalse();
        (await watcher.InvokeAsync<string[]>("WatchedOutlets")).ShouldBe(["NYC-01"], "a manager hears only the outlets asked for");

        var product = await app.AddStockedProductAsync("NYC-01", ("W", today.AddDays(20), 8));
        (await WaitForAsync(heard, m => m.Sku == product.Sku, TimeSpan.FromSeconds(10))).Available.ShouldBe(8);

        await using var till = Connect(app.DemoTillToken());
        await till.StartAsync();
        await Should.ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>(() => till.InvokeAsync<bool>("JoinOutlet", "NYC-01"));

        // A cashier's cookie is not enough to watch stock.
        var cashierCookie = await SignInCookieAsync(Core.Identity.Roles.Cashier);
        await using var cashier = Connect(null, o => o.Headers["Cookie"] = cashierCookie);
        (await Should.ThrowAsync<HttpRequestException>(() => cashier.StartAsync())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    /// <summary>Signs a user of the role in and returns the auth cookie as a Cookie header value.</summary>
    private async Task<string> SignInCookieAsync(string role)
    {
        var email = await app.EnsureUserAsync(role);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var page = await client.GetAsync("/account/login");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        var token = Html.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Email"] = email, ["Password"] = BackOfficeAppFactory.TestPassword, ["ReturnUrl"] = "/",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", antiforgery));
        var response = await client.SendAsync(post);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var auth = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("backoffice.auth="));
        return auth;
    }
}
