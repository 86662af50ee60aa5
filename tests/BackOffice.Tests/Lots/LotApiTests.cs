using System.Net;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Lots;

/// <summary>api.md "Lot status and recall": recall → trace → release through the API, what the tills and the stock API see.</summary>
public sealed class LotApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task Recall_trace_and_release_through_the_API_with_the_till_catalog_and_stock_following()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("L2391", today.AddDays(30), 12), ("L2400", today.AddDays(300), 5));
        using var api = app.IntegrationClient();
        using var till = app.TillClient();
        var sold = await till.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku, 2));
        sold.StatusCode.ShouldBe(HttpStatusCode.Created, await sold.Content.ReadAsStringAsync());

        var recall = await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "L2391", reason = "MHRA drug alert 2026/114" });
        recall.StatusCode.ShouldBe(HttpStatusCode.OK, await recall.Content.ReadAsStringAsync());
        var trace = await recall.JsonAsync();
        trace["status"]!.GetValue<string>().ShouldBe("recalled");
        trace["received"]!.GetValue<int>().ShouldBe(12);
        trace["sold"]!.GetValue<int>().ShouldBe(2);
        trace["onHand"]!.GetValue<int>().ShouldBe(10);
        trace["expiryDate"]!.GetValue<string>().ShouldBe(today.AddDays(30).ToString("yyyy-MM-dd"));
        trace["salesTotal"]!.GetValue<int>().ShouldBe(1);
        var sale = trace["sales"]!.AsArray().ShouldHaveSingleItem()!;
        sale["outletCode"]!.GetValue<string>().ShouldBe(Api.DemoOutlet);
        sale["quantity"]!.GetValue<int>().ShouldBe(2);
        sale["tillName"].ShouldNotBeNull();
        trace["outlets"]!.AsArray().ShouldHaveSingleItem()!["onHand"]!.GetValue<int>().ShouldBe(10);

        (await (await api.GetAsync($"/api/lots/{product.Sku}/L2391")).JsonAsync())["status"]!.GetValue<string>().ShouldBe("recalled");
        var stock = (await (await api.GetAsync($"/api/stock/{Api.DemoOutlet}")).JsonAsync())["items"]!.AsArray().Single(i => i!["sku"]!.GetValue<string>() == product.Sku)!;
        (stock["onHand"]!.GetValue<int>(), stock["available"]!.GetValue<int>(), stock["expired"]!.GetValue<int>(), stock["quarantined"]!.GetValue<int>())
            .ShouldBe((15, 5, 0, 10));
        var catalog = (await (await till.GetAsync("/api/till/catalog")).JsonAsync())["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == product.Sku)!;
        catalog["available"]!.GetValue<int>().ShouldBe(5);
        catalog["recalledLots"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["L2391"]);

        // The same recall again answers the same trace and writes nothing.
        var before = await app.LedgerAsync();
        var again = await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "L2391", reason = "again" });
        (await again.JsonAsync()).ToJsonString().ShouldBe(trace.ToJsonString());
        (await app.LedgerAsync()).ShouldBe(before);

        var release = await api.PostJsonAsync("/api/lots/release", new { sku = product.Sku, lotNumber = "L2391", reason = "Alert withdrawn" });
        (await release.JsonAsync())["status"]!.GetValue<string>().ShouldBe("active");
        var after = (await (await till.GetAsync("/api/till/catalog")).JsonAsync())["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == product.Sku)!;
        after["available"]!.GetValue<int>().ShouldBe(15);
        after["recalledLots"]!.AsArray().ShouldBeEmpty();
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task A_scanned_lot_is_sold_first_and_a_recalled_pack_sold_anyway_is_recorded_with_a_discrepancy()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("FIRST", today.AddDays(10), 5), ("SCANNED", today.AddDays(200), 5));
        using var api = app.IntegrationClient();
        using var till = app.TillClient();
        (await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "SCANNED", reason = "Notice" })).EnsureSuccessStatusCode();

        var saleId = Guid.NewGuid();
        var response = await till.PostJsonAsync("/api/till/sales", new
        {
            saleId, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            lines = new[] { new { sku = product.Sku, quantity = 1, unitPrice = 2.50m, lotNumber = "SCANNED" } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var allocation = (await response.JsonAsync())["lines"]![0]!["allocations"]!.AsArray().ShouldHaveSingleItem()!;
        allocation["lotNumber"]!.GetValue<string>().ShouldBe("SCANNED");

        await using var scope = app.CreateDbScope(out var db);
        var discrepancy = await db.Discrepancies.Where(d => d.ProductId == product.Id).SingleAsync();
        (discrepancy.Kind, discrepancy.Quantity).ShouldBe((DiscrepancyKind.RecalledLotSold, 1));
        await app.AssertLedgerHoldsAsync();
    }

    [Fact]
    public async Task Bad_lot_requests_are_problems_that_change_nothing()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("K1", today.AddDays(30), 3));
        using var api = app.IntegrationClient();
        var before = await app.LedgerAsync();

        (await (await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "K1" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .ErrorFields().ShouldBe(["reason"]);
        await (await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "NEVER", reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await api.PostJsonAsync("/api/lots/release", new { sku = "NO-SUCH", lotNumber = "K1", reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await api.GetAsync($"/api/lots/{product.Sku}/NEVER")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var tooLong = new string('r', 501);
        (await (await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "K1", reason = tooLong })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
            .ErrorFields().ShouldBe(["reason"]);
        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_key_without_the_lots_scope_may_not_recall_or_trace()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("S1", today.AddDays(30), 3));
        await using var scope = app.Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<TillRegistry>()
            .CreateApiKeyAsync($"key {Guid.NewGuid():N}", "admin", ApiKeyScopes.All & ~ApiKeyScopes.Lots, []);
        using var api = app.BearerClient(issued.Secret);

        var recall = await api.PostJsonAsync("/api/lots/recall", new { sku = product.Sku, lotNumber = "S1", reason = "x" });
        var problem = await recall.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (problem["title"]!.GetValue<string>() + " " + problem["detail"]?.GetValue<string>()).ShouldContain("lots");
        await (await api.GetAsync($"/api/lots/{product.Sku}/S1")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await using var check = app.CreateDbScope(out var db);
        (await db.Batches.CountAsync(b => b.ProductId == product.Id && b.Quarantined)).ShouldBe(0);
    }
}
