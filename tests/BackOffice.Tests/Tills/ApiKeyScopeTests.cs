using System.Net;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Tills;

/// <summary>What an API key may do is what an admin gave it: a route outside its scopes, or an outlet outside its outlets, is 403 and changes nothing.</summary>
public sealed class ApiKeyScopeTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private async Task<HttpClient> KeyAsync(ApiKeyScopes scopes, params string[] outletCodes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOffice.Core.Data.BackOfficeDb>();
        var outletIds = await db.Outlets.Where(o => outletCodes.Contains(o.Code)).Select(o => o.Id).ToListAsync();
        outletIds.Count.ShouldBe(outletCodes.Length);
        var issued = await scope.ServiceProvider.GetRequiredService<TillRegistry>().CreateApiKeyAsync($"key {Guid.NewGuid():N}", "admin", scopes, outletIds);
        return app.BearerClient(issued.Secret);
    }

    private async Task<object> ReceiptAsync(string outletCode)
    {
        var today = await app.TodayAtAsync(outletCode);
        var product = await app.AddStockedProductAsync(outletCode);
        return new
        {
            outletCode,
            lines = new[] { new { sku = product.Sku, lotNumber = "SCOPE-1", expiryDate = today.AddDays(200).ToString("yyyy-MM-dd"), quantity = 3, unitCost = 1m } },
        };
    }

    private async Task<int> ReceiptCountAsync()
    {
        await using var scope = app.CreateDbScope(out var db);
        return await db.Receipts.CountAsync();
    }

    private static async Task ShouldBeForbiddenAsync(HttpResponseMessage response, string mentioning)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.JsonAsync();
        problem["status"]!.GetValue<int>().ShouldBe(403);
        (problem["title"]!.GetValue<string>() + " " + problem["detail"]?.GetValue<string>()).ShouldContain(mentioning);
    }

    [Fact]
    public async Task A_products_only_key_changes_products_but_may_not_receive_or_read_stock()
    {
        using var api = await KeyAsync(ApiKeyScopes.Products);
        var sku = "SCOPE-" + Guid.NewGuid().ToString("N")[..8];
        (await api.PutJsonAsync($"/api/products/{sku}", new { name = "Scoped", price = 2.5m })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var before = await ReceiptCountAsync();
        await ShouldBeForbiddenAsync(await api.PostJsonAsync("/api/receipts", await ReceiptAsync(Api.DemoOutlet)), "'receipts' scope");
        (await ReceiptCountAsync()).ShouldBe(before, "a refused receipt receives nothing");
        await ShouldBeForbiddenAsync(await api.GetAsync($"/api/stock/{Api.DemoOutlet}"), "'stock' scope");
    }

    [Fact]
    public async Task A_receipts_key_may_not_change_products()
    {
        using var api = await KeyAsync(ApiKeyScopes.Receipts);
        var sku = "SCOPE-" + Guid.NewGuid().ToString("N")[..8];
        await ShouldBeForbiddenAsync(await api.PutJsonAsync($"/api/products/{sku}", new { name = "Not allowed", price = 1m }), "'products' scope");
        await using var scope = app.CreateDbScope(out var db);
        (await db.Products.AnyAsync(p => p.Sku == sku)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_key_for_chosen_outlets_receives_and_reads_stock_there_only()
    {
        using var api = await KeyAsync(ApiKeyScopes.Receipts | ApiKeyScopes.Stock, "PAR-01");

        (await api.PostJsonAsync("/api/receipts", await ReceiptAsync("PAR-01"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.GetAsync("/api/stock/PAR-01")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var before = await ReceiptCountAsync();
        await ShouldBeForbiddenAsync(await api.PostJsonAsync("/api/receipts", await ReceiptAsync(Api.DemoOutlet)), Api.DemoOutlet);
        (await ReceiptCountAsync()).ShouldBe(before);
        await ShouldBeForbiddenAsync(await api.GetAsync($"/api/stock/{Api.DemoOutlet}"), Api.DemoOutlet);
    }

    [Fact]
    public async Task A_key_cannot_be_made_without_a_scope_or_with_an_unknown_outlet()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<TillRegistry>();
        (await Should.ThrowAsync<ValidationFailedException>(() => registry.CreateApiKeyAsync("nothing", "admin", ApiKeyScopes.None)))
            .Errors.Keys.ShouldContain("scopes");
        (await Should.ThrowAsync<ValidationFailedException>(() => registry.CreateApiKeyAsync("nowhere", "admin", ApiKeyScopes.Stock, [int.MaxValue])))
            .Errors.Keys.ShouldContain("outlets");
    }

    [Fact]
    public async Task The_seeded_integration_key_keeps_every_scope()
    {
        using var api = app.IntegrationClient();
        (await api.GetAsync($"/api/stock/{Api.DemoOutlet}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var scope = app.CreateDbScope(out var db);
        (await db.ApiKeys.Where(k => k.Name == BackOffice.Core.Data.DemoData.DemoApiKeyName).Select(k => k.Scopes).SingleAsync()).ShouldBe(ApiKeyScopes.All);
    }
}
