using System.Net;
using System.Text;
using System.Text.Json;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using BackOffice.Web.Tills;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Tills;

/// <summary>
/// No stranded queue: a revoked or re-issued till's old token is dead at once (API and hub), its device's new token of
/// the same till uploads what it held, and a device that will never connect again is emptied through its export file,
/// recorded exactly as sync would.
/// </summary>
public sealed class TillRecoveryTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private async Task<(int Id, string Token)> NewTillAsync()
    {
        await using var scope = app.CreateDbScope(out var db);
        var outletId = await db.Outlets.Where(o => o.Code == Api.DemoOutlet).Select(o => o.Id).SingleAsync();
        var issued = await new TillRegistry(db, TimeProvider.System).RegisterTillAsync(outletId, "Counter " + Guid.NewGuid().ToString("N")[..6]);
        return (issued.Id, issued.Secret);
    }

    private HubConnection Connect(string token) =>
        new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, "hubs/stock"), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        }).Build();

    [Fact]
    public async Task The_device_says_how_many_sales_it_holds_and_the_tills_page_learns_it()
    {
        var (id, token) = await NewTillAsync();
        using var till = app.BearerClient(token);
        till.DefaultRequestHeaders.Add("X-Till-Pending", "3");
        (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using (var scope = app.CreateDbScope(out var db))
        {
            var view = (await new TillRegistry(db, TimeProvider.System).TillsAsync()).Single(t => t.Id == id);
            view.PendingOnDevice.ShouldBe(3);
            view.PendingReportedAt.ShouldNotBeNull();
        }
        // A changed count is written at once, not a minute later.
        till.DefaultRequestHeaders.Remove("X-Till-Pending");
        till.DefaultRequestHeaders.Add("X-Till-Pending", "0");
        (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using (var scope = app.CreateDbScope(out var db))
            (await db.Tills.Where(t => t.Id == id).Select(t => t.PendingOnDevice).SingleAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Revoked_then_reissued_the_same_till_uploads_its_sales_with_the_new_token_and_the_old_token_is_dead()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 30));
        var (id, oldToken) = await NewTillAsync();
        var sales = Enumerable.Range(0, 3).Select(_ => Api.Sale(Guid.NewGuid(), product.Sku, 1, 2m)).ToList();

        await using (var scope = app.CreateDbScope(out var db))
            await new TillRegistry(db, TimeProvider.System).RevokeTillAsync(id);
        using var revoked = app.BearerClient(oldToken);
        (await revoked.PostJsonAsync("/api/till/sales/sync", new { sales })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        IssuedSecret issued;
        await using (var scope = app.CreateDbScope(out var db))
            issued = await new TillRegistry(db, TimeProvider.System).ReissueTokenAsync(id);
        issued.Id.ShouldBe(id);
        (await revoked.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the old token stays dead");

        using var renewed = app.BearerClient(issued.Secret);
        var me = await (await renewed.GetAsync("/api/till/me")).JsonAsync();
        me["tillId"]!.GetValue<int>().ShouldBe(id, "the same till: the device accepts its own till's new token");
        var results = (await (await renewed.PostJsonAsync("/api/till/sales/sync", new { sales })).JsonAsync())["results"]!.AsArray();
        results.Select(r => r!["status"]!.GetValue<string>()).ShouldAllBe(s => s == "recorded");
        await using (var scope = app.CreateDbScope(out var db))
            (await db.Sales.CountAsync(s => s.TillId == id)).ShouldBe(3);

        // Re-issuing again kills the token just issued.
        await using (var scope = app.CreateDbScope(out var db))
            await new TillRegistry(db, TimeProvider.System).ReissueTokenAsync(id);
        (await renewed.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_or_reissued_tills_hub_connections_are_closed_and_other_tills_stay_connected()
    {
        var (revokedId, revokedToken) = await NewTillAsync();
        var (reissuedId, reissuedToken) = await NewTillAsync();
        var (_, keptToken) = await NewTillAsync();
        await using var revoked = Connect(revokedToken);
        await using var reissued = Connect(reissuedToken);
        await using var kept = Connect(keptToken);
        var closed = new List<string>();
        revoked.Closed += _ => { lock (closed) closed.Add("revoked"); return Task.CompletedTask; };
        reissued.Closed += _ => { lock (closed) closed.Add("reissued"); return Task.CompletedTask; };
        await revoked.StartAsync();
        await reissued.StartAsync();
        await kept.StartAsync();
        foreach (var c in new[] { revoked, reissued, kept }) await c.InvokeAsync<string[]>("WatchedOutlets");

        // As on another server than the manager's: only the database changes, and the periodic check finds it.
        await using (var scope = app.CreateDbScope(out var db))
        {
            var registry = new TillRegistry(db, TimeProvider.System);
            await registry.RevokeTillAsync(revokedId);
            await registry.ReissueTokenAsync(reissuedId);
        }
        var check = app.Services.GetRequiredService<TillConnectionCheck>();
        (await check.CheckAsync(CancellationToken.None)).ShouldBe(2);

        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until && (revoked.State != HubConnectionState.Disconnected || reissued.State != HubConnectionState.Disconnected))
            await Task.Delay(50);
        revoked.State.ShouldBe(HubConnectionState.Disconnected);
        reissued.State.ShouldBe(HubConnectionState.Disconnected);
        kept.State.ShouldBe(HubConnectionState.Connected);
        (await kept.InvokeAsync<string[]>("WatchedOutlets")).ShouldBe([Api.DemoOutlet]);
        (await check.CheckAsync(CancellationToken.None)).ShouldBe(0, "nothing else to close");
        lock (closed) closed.Order().ShouldBe(["reissued", "revoked"]);
    }

    private static byte[] ExportFile(int tillId, string outletCode, IEnumerable<object> sales, IEnumerable<object>? returns = null) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            format = "backoffice-till-export", version = 1, exportedAt = DateTimeOffset.UtcNow,
            till = new { tillId, tillName = "Counter", outletCode, outletName = "London" },
            sales, returns = returns ?? [],
        }, JsonSerializerOptions.Web));

    [Fact]
    public async Task A_revoked_tills_export_is_recorded_once_as_sync_would_with_rejected_sales_held()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 30));
        var (id, token) = await NewTillAsync();
        var already = Api.Sale(Guid.NewGuid(), product.Sku, 1, 2m);
        using (var till = app.BearerClient(token))
            (await till.PostJsonAsync("/api/till/sales", already)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using (var scope = app.CreateDbScope(out var db))
            await new TillRegistry(db, TimeProvider.System).RevokeTillAsync(id);

        var fresh = Enumerable.Range(0, 2).Select(_ => Api.Sale(Guid.NewGuid(), product.Sku, 2, 2m)).ToList();
        var bad = Api.Sale(Guid.NewGuid(), "NO-SUCH-SKU", 1, 2m);
        var file = ExportFile(id, Api.DemoOutlet, [already, .. fresh, bad]);
        var before = await app.LedgerAsync();

        TillExportResult result;
        await using (var scope = app.CreateDbScope(out _))
            result = await scope.ServiceProvider.GetRequiredService<TillExportImport>().ImportAsync(file);
        result.TillId.ShouldBe(id);
        (result.Recorded, result.Duplicates, result.Held, result.NotHeld).ShouldBe((2, 1, 1, 0));
        var after = await app.LedgerAsync();
        (after.Sales - before.Sales).ShouldBe(2);
        (before.OnHand - after.OnHand).ShouldBe(4);

        // The same file twice (or the device reconnecting later): nothing new.
        await using (var scope = app.CreateDbScope(out _))
            result = await scope.ServiceProvider.GetRequiredService<TillExportImport>().ImportAsync(file);
        (result.Recorded, result.Duplicates, result.Held).ShouldBe((0, 3, 1));
        (await app.LedgerAsync()).ShouldBe(after);
        await using (var scope = app.CreateDbScope(out var db))
        {
            var held = await db.RejectedSales.AsNoTracking().Where(r => r.TillId == id).ToListAsync();
            held.ShouldHaveSingleItem().Source.ShouldBe("import");
            (await db.Sales.CountAsync(s => s.TillId == id)).ShouldBe(3, "recorded as the till, not as the manager");
        }
        await app.AssertLedgerHoldsAsync();
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"format\":\"something-else\",\"version\":1}", "format")]
    [InlineData("{\"format\":\"backoffice-till-export\",\"version\":2,\"till\":{\"tillId\":1}}", "version")]
    [InlineData("{\"format\":\"backoffice-till-export\",\"version\":1,\"till\":{\"tillId\":999999,\"outletCode\":\"LDN-01\"},\"sales\":[]}", "not registered")]
    [InlineData("{\"format\":\"backoffice-till-export\",\"version\":1,\"till\":{\"tillId\":1,\"outletCode\":\"PAR-01\"},\"sales\":[]}", "belongs to")]
    [InlineData("{\"format\":\"backoffice-till-export\",\"version\":1,\"till\":{\"tillId\":1,\"outletCode\":\"LDN-01\"},\"sales\":{}}", "not a list")]
    public async Task A_file_that_is_not_this_tills_export_is_refused_with_a_reason_and_changes_nothing(string content, string reason)
    {
        var before = await app.LedgerAsync();
        await using var scope = app.CreateDbScope(out _);
        var error = await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() =>
            scope.ServiceProvider.GetRequiredService<TillExportImport>().ImportAsync(Encoding.UTF8.GetBytes(content)));
        error.Errors["file"].ShouldHaveSingleItem().ShouldContain(reason);
        (await app.LedgerAsync()).ShouldBe(before);
    }
}
