using System.Net;
using System.Text;
using System.Text.Json;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>POST /api/till/sales and /api/till/returns over HTTP on real SQLite: FEFO, idempotency, every refusal changes nothing.</summary>
public sealed class SaleApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task A_sale_is_allocated_FEFO_skipping_expired_stock_and_answered_201()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("LATE", today.AddDays(200), 10), ("SOON", today.AddDays(20), 3), ("MID", today.AddDays(90), 4));
        await app.AddExpiredBatchAsync(Api.DemoOutlet, product, 50, today.AddDays(-2));
        using var till = app.TillClient();
        var saleId = Guid.NewGuid();

        var response = await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, quantity: 9, unitPrice: 3.49m));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var sale = await response.JsonAsync();
        sale["saleId"]!.GetValue<string>().ShouldBe(saleId.ToString());
        sale["status"]!.GetValue<string>().ShouldBe("recorded");
        sale["total"]!.GetValue<decimal>().ShouldBe(31.41m);
        var line = sale["lines"]![0]!;
        line["quantity"]!.GetValue<int>().ShouldBe(9);
        line["allocated"]!.GetValue<int>().ShouldBe(9);
        line["shortfall"]!.GetValue<int>().ShouldBe(0);
        var allocations = line["allocations"]!.AsArray().Select(a => (Lot: a!["lotNumber"]!.GetValue<string>(), Quantity: a["quantity"]!.GetValue<int>(),
            Expiry: a["expiryDate"]!.GetValue<string>())).ToList();
        allocations.ShouldBe([("SOON", 3, today.AddDays(20).ToString("yyyy-MM-dd")), ("MID", 4, today.AddDays(90).ToString("yyyy-MM-dd")),
            ("LATE", 2, today.AddDays(200).ToString("yyyy-MM-dd"))]);

        await using var scope = app.CreateDbScope(out var db);
        var onHand = await db.Batches.Where(b => b.ProductId == product.Id).ToDictionaryAsync(b => b.LotNumber!, b => b.OnHand);
        onHand.ShouldBe(new Dictionary<string, int> { ["SOON"] = 0, ["MID"] = 0, ["LATE"] = 8, ["EXPIRED"] = 50 }, ignoreOrder: true);
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task A_sale_beyond_stock_is_recorded_with_a_shortfall_not_refused()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("ONLY", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 2));
        using var till = app.TillClient();
        var response = await till.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku, quantity: 5));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var line = (await response.JsonAsync())["lines"]![0]!;
        line["allocated"]!.GetValue<int>().ShouldBe(2);
        line["shortfall"]!.GetValue<int>().ShouldBe(3);
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task A_replay_is_200_with_the_identical_body_and_different_content_is_409()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("R", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 20));
        using var till = app.TillClient();
        var saleId = Guid.NewGuid();
        var occurredAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        var first = await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, 2, 1.10m, occurredAt));
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var firstBody = await first.Content.ReadAsStringAsync();
        var before = await app.LedgerAsync();

        var replay = await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, 2, 1.10m, occurredAt));
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldBe(firstBody);

        var conflict = await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, 3, 1.10m, occurredAt));
        (await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict))["title"]!.GetValue<string>().ShouldContain(saleId.ToString());

        (await app.LedgerAsync()).ShouldBe(before, "a replay and a conflict write nothing");
    }

    public static TheoryData<string, string, string> InvalidSales()
    {
        var ok = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var id = Guid.NewGuid().ToString();
        return new TheoryData<string, string, string>
        {
            { "empty lines", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[]}""", "lines" },
            { "quantity 0", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":0,"unitPrice":1}]}""", "lines[0].quantity" },
            { "negative price", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":1,"unitPrice":-0.01}]}""", "lines[0].unitPrice" },
            { "unknown sku", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":1,"unitPrice":1},{"sku":"NO-SUCH-SKU","quantity":1,"unitPrice":1}]}""", "lines[1].sku" },
            { "inactive sku", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[{"sku":"INACTIVE","quantity":1,"unitPrice":1}]}""", "lines[0].sku" },
            { "malformed saleId", $$"""{"saleId":"7b0c-not-a-uuid","occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":1,"unitPrice":1}]}""", "saleId" },
            { "missing saleId", $$"""{"occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":1,"unitPrice":1}]}""", "saleId" },
            { "future occurredAt", $$"""{"saleId":"{{id}}","occurredAt":"{{DateTimeOffset.UtcNow.AddMinutes(30):O}}","lines":[{"sku":"SKU","quantity":1,"unitPrice":1}]}""", "occurredAt" },
            { "quantity not a number", $$"""{"saleId":"{{id}}","occurredAt":"{{ok}}","lines":[{"sku":"SKU","quantity":"two","unitPrice":1}]}""", "lines[0].quantity" },
            { "not JSON", "{ this is not json", "body" },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidSales))]
    public async Task An_invalid_sale_is_400_with_the_field_and_stores_nothing(string why, string json, string field)
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("V", today.AddDays(30), 10));
        var inactive = await app.AddStockedProductAsync(Api.DemoOutlet, ("V", today.AddDays(30), 10));
        await using (var scope = app.CreateDbScope(out var db))
            await db.Products.Where(p => p.Id == inactive.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, false));
        json = json.Replace("\"SKU\"", $"\"{product.Sku}\"").Replace("\"INACTIVE\"", $"\"{inactive.Sku}\"");
        var before = await app.LedgerAsync();

        using var till = app.TillClient();
        var response = await till.PostAsync("/api/till/sales", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorFields().ShouldContain(field, why);
        (await app.LedgerAsync()).ShouldBe(before, why);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_413_and_stores_nothing()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 10));
        var before = await app.LedgerAsync();
        var sale = new
        {
            saleId = Guid.NewGuid().ToString(),
            occurredAt = DateTimeOffset.UtcNow,
            lines = new[] { new { sku = product.Sku, quantity = 1, unitPrice = 1m } },
            payments = Enumerable.Range(0, 30_000).Select(_ => new { method = "voucher-0123456789", amount = 0m }).ToArray(),
        };
        var json = JsonSerializer.Serialize(sale, JsonSerializerOptions.Web);
        json.Length.ShouldBeGreaterThan(1024 * 1024);

        using var till = app.TillClient();
        var response = await till.PostAsync("/api/till/sales", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        // Without Content-Length (chunked) the limit holds too.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/till/sales") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        (await till.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Without_a_till_token_a_sale_is_401_and_stores_nothing()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("U", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 10));
        var before = await app.LedgerAsync();
        foreach (var secret in new[] { null, "till_unknown", app.IntegrationKey() })
        {
            using var client = app.BearerClient(secret);
            var response = await client.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await client.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { Api.Sale(Guid.NewGuid(), product.Sku) } }))
                .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_return_puts_units_back_into_the_batches_the_sale_took_them_from()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("R1", today.AddDays(10), 2), ("R2", today.AddDays(50), 5));
        using var till = app.TillClient();
        var saleId = Guid.NewGuid();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, 4))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var returnId = Guid.NewGuid();
        var body = new { returnId, saleId, occurredAt = DateTimeOffset.UtcNow, lines = new[] { new { sku = product.Sku, quantity = 3 } }, reason = "unopened" };
        var response = await till.PostJsonAsync("/api/till/returns", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var first = await response.Content.ReadAsStringAsync();
        var returned = JsonDocument.Parse(first).RootElement;
        returned.GetProperty("returnId").GetGuid().ShouldBe(returnId);
        returned.GetProperty("saleId").GetGuid().ShouldBe(saleId);
        var batches = returned.GetProperty("lines")[0].GetProperty("batches").EnumerateArray().Sum(b => b.GetProperty("quantity").GetInt32());
        batches.ShouldBe(3);

        var replay = await till.PostJsonAsync("/api/till/returns", body);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replay.Content.ReadAsStringAsync()).ShouldBe(first);

        var before = await app.LedgerAsync();
        (await till.PostJsonAsync("/api/till/returns", body with { lines = new[] { new { sku = product.Sku, quantity = 1 } } }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var tooMany = await till.PostJsonAsync("/api/till/returns",
            new { returnId = Guid.NewGuid(), saleId, occurredAt = DateTimeOffset.UtcNow, lines = new[] { new { sku = product.Sku, quantity = 2 } }, reason = "" });
        (await tooMany.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain("lines[0].quantity");
        var unknownSale = await till.PostJsonAsync("/api/till/returns",
            new { returnId = Guid.NewGuid(), saleId = Guid.NewGuid(), occurredAt = DateTimeOffset.UtcNow, lines = new[] { new { sku = product.Sku, quantity = 1 } }, reason = "" });
        (await unknownSale.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain("saleId");
        (await app.LedgerAsync()).ShouldBe(before);
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task A_return_of_a_sale_made_at_another_outlet_is_400()
    {
        var today = await app.TodayAtAsync("PAR-01");
        var product = await app.AddStockedProductAsync("PAR-01", ("P", today.AddDays(30), 5));
        using var paris = app.BearerClient(await app.AddTillAsync("PAR-01"));
        var saleId = Guid.NewGuid();
        (await paris.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, 1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await app.LedgerAsync();

        using var london = app.TillClient();
        var response = await london.PostJsonAsync("/api/till/returns",
            new { returnId = Guid.NewGuid(), saleId, occurredAt = DateTimeOffset.UtcNow, lines = new[] { new { sku = product.Sku, quantity = 1 } } });
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain("saleId");
        (await app.LedgerAsync()).ShouldBe(before);
    }
}
