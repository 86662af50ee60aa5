using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tills;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Support;

/// <summary>Clients and arrangements for the till and integration API tests.</summary>
public static class Api
{
    /// <summary>The first demo outlet, where the seeded demo till sells.</summary>
    public const string DemoOutlet = "LDN-01";

    public static string DemoTillToken(this BackOfficeAppFactory app) => app.Setting("Seed:DemoTillToken")!;
    public static string IntegrationKey(this BackOfficeAppFactory app) => app.Setting("Seed:IntegrationApiKey")!;

    public static HttpClient BearerClient(this BackOfficeAppFactory app, string? secret)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        if (secret is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    public static HttpClient TillClient(this BackOfficeAppFactory app) => app.BearerClient(app.DemoTillToken());
    public static HttpClient IntegrationClient(this BackOfficeAppFactory app) => app.BearerClient(app.IntegrationKey());

    /// <summary>A new till at <paramref name="outletCode"/>; returns its token.</summary>
    public static async Task<string> AddTillAsync(this BackOfficeAppFactory app, string outletCode, bool revoked = false)
    {
        await using var scope = app.CreateDbScope(out var db);
        var outletId = await db.Outlets.Where(o => o.Code == outletCode).Select(o => o.Id).SingleAsync();
        var token = Secrets.NewToken("till");
        var till = Make.Till(outletId, Secrets.Hash(token));
        if (revoked) till.RevokedAt = DateTime.UtcNow;
        db.Tills.Add(till);
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>A new active product with the given batches received at the outlet through the engine (so the ledger holds).</summary>
    public static async Task<Product> AddStockedProductAsync(this BackOfficeAppFactory app, string outletCode, params (string Lot, DateOnly? Expiry, int Quantity)[] batches)
    {
        await using var scope = app.CreateDbScope(out var db);
        var product = Make.Product();
        product.TracksExpiry = batches.Length == 0 || batches.Any(b => b.Expiry is not null);
        db.Products.Add(product);
        await db.SaveChangesAsync();
        if (batches.Length > 0)
            await scope.ServiceProvider.GetRequiredService<InventoryService>().ReceiveAsync(new ReceiveGoods(outletCode, "test stock",
                batches.Select(b => new ReceiveLine(product.Sku, b.Lot, b.Expiry, b.Quantity, 1.25m)).ToList()), "tests");
        return product;
    }

    /// <summary>Puts an already-expired batch at the outlet with its receipt movement (the API refuses to receive one).</summary>
    public static async Task<Guid> AddExpiredBatchAsync(this BackOfficeAppFactory app, string outletCode, Product product, int quantity, DateOnly expiry)
    {
        await using var scope = app.CreateDbScope(out var db);
        var outlet = await db.Outlets.SingleAsync(o => o.Code == outletCode);
        var tracked = await db.Products.SingleAsync(p => p.Id == product.Id);
        var batch = Make.Batch(outlet, tracked, quantity, expiry);
        batch.LotNumber = "EXPIRED";
        db.Batches.Add(batch);
        db.Movements.Add(StockMovement.For(batch, MovementKind.Receipt, quantity, DateTime.UtcNow, "test:expired"));
        await db.SaveChangesAsync();
        return batch.Id;
    }

    /// <summary>Today at the outlet (its time zone), as the expiry rule sees it.</summary>
    public static async Task<DateOnly> TodayAtAsync(this BackOfficeAppFactory app, string outletCode)
    {
        await using var scope = app.CreateDbScope(out var db);
        var outlet = await db.Outlets.SingleAsync(o => o.Code == outletCode);
        return ExpiryRule.TodayAt(outlet, DateTimeOffset.UtcNow);
    }

    /// <summary>Everything a write could change, summed in SQL: compare before and after a refused request.</summary>
    public static async Task<LedgerState> LedgerAsync(this BackOfficeAppFactory app)
    {
        await using var scope = app.CreateDbScope(out var db);
        return new LedgerState(
            await db.Batches.SumAsync(b => b.OnHand),
            await db.Batches.CountAsync(),
            await db.Movements.CountAsync(),
            await db.Sales.CountAsync(),
            await db.Allocations.CountAsync(),
            await db.Returns.CountAsync(),
            await db.Receipts.CountAsync(),
            await db.Discrepancies.CountAsync(),
            await db.Products.CountAsync());
    }

    /// <summary>Invariant 1 and 3 over the whole database, in SQL: on hand = Σ movements per batch, allocations + shortfall = quantity.</summary>
    public static async Task AssertLedgerHoldsAsync(this BackOfficeAppFactory app)
    {
        await using var scope = app.CreateDbScope(out var db);
        var drift = await db.Batches.Where(b => b.OnHand != db.Movements.Where(m => m.BatchId == b.Id).Sum(m => m.Quantity) || b.OnHand < 0)
            .Select(b => b.Id).ToListAsync();
        drift.ShouldBeEmpty("batches whose on hand is not the sum of their movements");
        var badLines = await db.SaleLines.Where(l => db.Allocations.Where(a => a.SaleLineId == l.Id).Sum(a => a.Quantity) + l.Shortfall != l.Quantity)
            .Select(l => l.Id).ToListAsync();
        badLines.ShouldBeEmpty("sale lines whose allocations + shortfall differ from the quantity");
    }

    public static object Sale(Guid saleId, string sku, int quantity = 1, decimal unitPrice = 2.50m, DateTimeOffset? occurredAt = null) => new
    {
        saleId = saleId.ToString(),
        occurredAt = occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-1),
        lines = new[] { new { sku, quantity, unitPrice } },
        payments = new[] { new { method = "cash", amount = quantity * unitPrice } },
    };

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    /// <summary>Asserts a problem-details answer with <paramref name="status"/>; returns it.</summary>
    public static async Task<JsonNode> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var problem = JsonNode.Parse(body)!;
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        return problem;
    }

    /// <summary>The field names of a validation problem's errors.</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonNode problem) =>
        problem["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, JsonSerializerOptions.Web);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, JsonSerializerOptions.Web);
}

public sealed record LedgerState(int OnHand, int Batches, int Movements, int Sales, int Allocations, int Returns, int Receipts, int Discrepancies, int Products);
