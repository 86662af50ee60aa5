using System.Net;
using System.Text.Json.Nodes;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>POST /api/till/sales/sync: the offline queue's upload, each sale standing alone, answered in order.</summary>
public sealed class SaleSyncTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task Five_hundred_sales_with_duplicates_and_one_invalid_are_answered_in_order_and_recorded_once()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var a = await app.AddStockedProductAsync(Api.DemoOutlet, ("A1", today.AddDays(15), 300), ("A2", today.AddDays(60), 300));
        var b = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", today.AddDays(30), 500));
        var at = DateTimeOffset.UtcNow.AddHours(-2);

        // 480 distinct sales, 19 repeats of earlier ones (same content), one invalid (quantity 0) at position 250.
        var distinct = Enumerable.Range(0, 480).Select(i => (Id: Guid.NewGuid(), Sku: i % 3 == 0 ? b.Sku : a.Sku, Quantity: 1 + i % 2, At: at.AddSeconds(i))).ToList();
        var sent = new List<(Guid Id, string Sku, int Quantity, DateTimeOffset At)>(distinct);
        for (var d = 0; d < 19; d++) sent.Insert(30 + d * 24, distinct[d * 20]);
        var invalidId = Guid.NewGuid();
        var sales = sent.Select(s => Api.Sale(s.Id, s.Sku, s.Quantity, 1.99m, s.At)).ToList();
        sales.Insert(250, new { saleId = invalidId.ToString(), occurredAt = at, lines = new[] { new { sku = a.Sku, quantity = 0, unitPrice = 1m } } });
        sales.Count.ShouldBe(500);
        var before = await app.LedgerAsync();

        using var till = app.TillClient();
        var response = await till.PostJsonAsync("/api/till/sales/sync", new { sales });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var results = (await response.JsonAsync())["results"]!.AsArray();

        results.Count.ShouldBe(500);
        var seen = new HashSet<Guid>();
        var expectedIds = sent.Select(s => s.Id.ToString()).ToList();
        expectedIds.Insert(250, invalidId.ToString());
        for (var i = 0; i < 500; i++)
        {
            var result = results[i]!;
            result["saleId"]!.GetValue<string>().ShouldBe(expectedIds[i], $"result {i} in request order");
            var status = result["status"]!.GetValue<string>();
            if (i == 250)
            {
                status.ShouldBe("rejected");
                result["sale"].ShouldBeNull();
                result["error"]!["status"]!.GetValue<int>().ShouldBe(400);
                result["error"]!["errors"]!.AsObject().Select(e => e.Key).ShouldContain("lines[0].quantity");
                continue;
            }
            var id = Guid.Parse(expectedIds[i]);
            status.ShouldBe(seen.Add(id) ? "recorded" : "duplicate", $"result {i}");
            result["error"].ShouldBeNull();
            result["sale"]!["saleId"]!.GetValue<string>().ShouldBe(expectedIds[i]);
        }

        var after = await app.LedgerAsync();
        (after.Sales - before.Sales).ShouldBe(480, "each distinct sale once, the invalid one not at all");
        await using (var scope = app.CreateDbScope(out var db))
        {
            (await db.Sales.AnyAsync(s => s.Id == invalidId)).ShouldBeFalse();
            var sold = distinct.Sum(s => s.Quantity);
            (before.OnHand - after.OnHand).ShouldBe(sold, "units taken once per distinct sale (all were in stock)");
        }
        await app.AssertLedgerHoldsAsync();

        // The same upload again (the till did not hear the answer): nothing new, every valid sale a duplicate.
        var again = await till.PostJsonAsync("/api/till/sales/sync", new { sales });
        var second = (await again.JsonAsync())["results"]!.AsArray();
        second.Select(r => r!["status"]!.GetValue<string>()).Where((_, i) => i != 250).ShouldAllBe(s => s == "duplicate");
        second[250]!["status"]!.GetValue<string>().ShouldBe("rejected");
        // A duplicate carries the sale as first recorded.
        second[0]!["sale"]!.ToJsonString().ShouldBe(results[0]!["sale"]!.ToJsonString());
        (await app.LedgerAsync()).ShouldBe(after);
    }

    [Fact]
    public async Task A_conflicting_or_malformed_sale_is_rejected_alone_and_returns_sync_beside_sales()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("S", today.AddDays(30), 50));
        using var till = app.TillClient();
        var original = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(original, product.Sku, 2, 1m, at))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var fresh = Guid.NewGuid();
        var returnId = Guid.NewGuid();
        var body = new JsonObject
        {
            ["sales"] = new JsonArray(
                JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.Sale(original, product.Sku, 5, 1m, at), System.Text.Json.JsonSerializerOptions.Web)),
                JsonNode.Parse("""{"saleId":"not-a-uuid","occurredAt":"2026-01-01T00:00:00Z","lines":[{"sku":"X","quantity":"many","unitPrice":1}]}"""),
                JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.Sale(fresh, product.Sku, 1, 1m, at), System.Text.Json.JsonSerializerOptions.Web))),
            ["returns"] = new JsonArray(JsonNode.Parse($$"""{"returnId":"{{returnId}}","saleId":"{{fresh}}","occurredAt":"{{DateTimeOffset.UtcNow:O}}","lines":[{"sku":"{{product.Sku}}","quantity":1}]}""")),
        };

        var response = await till.PostAsync("/api/till/sales/sync", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.JsonAsync();
        var results = json["results"]!.AsArray();
        results.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["rejected", "rejected", "recorded"]);
        results[0]!["error"]!["status"]!.GetValue<int>().ShouldBe(409);
        results[1]!["saleId"]!.GetValue<string>().ShouldBe("not-a-uuid");
        results[1]!["error"]!["errors"]!.AsObject().Select(e => e.Key).ShouldContain("lines[0].quantity");
        var returns = json["returns"]!.AsArray();
        returns.Count.ShouldBe(1);
        returns[0]!["status"]!.GetValue<string>().ShouldBe("recorded", "a return of a sale recorded earlier in the same upload");
        returns[0]!["return"]!["returnId"]!.GetValue<string>().ShouldBe(returnId.ToString());
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task More_than_500_sales_is_400_and_stores_nothing()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("M", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(30), 1000));
        var before = await app.LedgerAsync();
        using var till = app.TillClient();
        var sales = Enumerable.Range(0, 501).Select(_ => Api.Sale(Guid.NewGuid(), product.Sku)).ToList();
        var response = await till.PostJsonAsync("/api/till/sales/sync", new { sales });
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain("sales");
        (await app.LedgerAsync()).ShouldBe(before);
    }
}
