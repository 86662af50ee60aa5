using System.Net;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Inventory;

/// <summary>POST /api/receipts and GET /api/stock/{outletCode} for integrations.</summary>
public sealed class InventoryApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task A_receipt_creates_batches_and_their_ledger_lines_and_answers_201()
    {
        var today = await app.TodayAtAsync("PAR-01");
        var product = await app.AddStockedProductAsync("PAR-01");
        var undated = await app.AddStockedProductAsync("PAR-01");
        await using (var scope = app.CreateDbScope(out var db))
            await db.Products.Where(p => p.Id == undated.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.TracksExpiry, false));
        using var api = app.IntegrationClient();

        var response = await api.PostJsonAsync("/api/receipts", new
        {
            outletCode = "PAR-01",
            reference = "PO-4711",
            lines = new object[]
            {
                new { sku = product.Sku, lotNumber = "L-1", expiryDate = today.AddDays(100).ToString("yyyy-MM-dd"), quantity = 24, unitCost = 1.10m },
                new { sku = undated.Sku, lotNumber = (string?)null, expiryDate = (string?)null, quantity = 5, unitCost = 3m },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var receipt = await response.JsonAsync();
        var receiptId = Guid.Parse(receipt["receiptId"]!.GetValue<string>());
        var batches = receipt["batches"]!.AsArray();
        batches.Count.ShouldBe(2);
        batches[0]!["sku"]!.GetValue<string>().ShouldBe(product.Sku);
        batches[0]!["lotNumber"]!.GetValue<string>().ShouldBe("L-1");
        batches[0]!["expiryDate"]!.GetValue<string>().ShouldBe(today.AddDays(100).ToString("yyyy-MM-dd"));
        batches[0]!["quantity"]!.GetValue<int>().ShouldBe(24);
        batches[1]!["expiryDate"].ShouldBeNull();

        await using (var scope = app.CreateDbScope(out var db))
        {
            var batchId = Guid.Parse(batches[0]!["batchId"]!.GetValue<string>());
            (await db.Batches.Where(b => b.Id == batchId).Select(b => b.OnHand).SingleAsync()).ShouldBe(24);
            (await db.Receipts.Where(r => r.Id == receiptId).Select(r => r.Reference).SingleAsync()).ShouldBe("PO-4711");
            (await db.Movements.Where(m => m.BatchId == batchId).SumAsync(m => m.Quantity)).ShouldBe(24);
        }
        await app.AssertLedgerHoldsAsync();

        var stock = await (await api.GetAsync("/api/stock/PAR-01")).JsonAsync();
        var item = stock["items"]!.AsArray().Single(i => i!["sku"]!.GetValue<string>() == product.Sku)!;
        item["onHand"]!.GetValue<int>().ShouldBe(24);
        item["available"]!.GetValue<int>().ShouldBe(24);
    }

    public static TheoryData<string, string> InvalidReceipts() => new()
    {
        { """{"outletCode":"NOPE-99","lines":[{"sku":"SKU","lotNumber":"L","expiryDate":"2099-01-01","quantity":1,"unitCost":1}]}""", "outletCode" },
        { """{"outletCode":"LDN-01","lines":[{"sku":"NO-SUCH","lotNumber":"L","expiryDate":"2099-01-01","quantity":1,"unitCost":1}]}""", "lines[0].sku" },
        { """{"outletCode":"LDN-01","lines":[{"sku":"SKU","lotNumber":"L","expiryDate":"2099-01-01","quantity":0,"unitCost":1}]}""", "lines[0].quantity" },
        { """{"outletCode":"LDN-01","lines":[{"sku":"SKU","lotNumber":"L","expiryDate":"2099-01-01","quantity":1,"unitCost":-1}]}""", "lines[0].unitCost" },
        { """{"outletCode":"LDN-01","lines":[{"sku":"SKU","lotNumber":"L","expiryDate":"2001-01-01","quantity":1,"unitCost":1}]}""", "lines[0].expiryDate" },
        { """{"outletCode":"LDN-01","lines":[{"sku":"SKU","lotNumber":"L","quantity":1,"unitCost":1}]}""", "lines[0].expiryDate" },
        { """{"outletCode":"LDN-01","lines":[]}""", "lines" },
        // One bad line refuses the whole receipt: the good first line is not stored either.
        { """{"outletCode":"LDN-01","lines":[{"sku":"SKU","lotNumber":"OK","expiryDate":"2099-01-01","quantity":5,"unitCost":1},{"sku":"SKU","lotNumber":"L","expiryDate":"2099-01-01","quantity":-3,"unitCost":1}]}""", "lines[1].quantity" },
    };

    [Theory]
    [MemberData(nameof(InvalidReceipts))]
    public async Task An_invalid_receipt_is_400_with_the_field_and_stores_nothing(string json, string field)
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet);
        var before = await app.LedgerAsync();
        using var api = app.IntegrationClient();
        var response = await api.PostAsync("/api/receipts", new StringContent(json.Replace("\"SKU\"", $"\"{product.Sku}\""), System.Text.Encoding.UTF8, "application/json"));
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain(field);
        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Stock_lists_every_active_product_with_on_hand_available_expired_and_low_stock()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("OK", today.AddDays(30), 4));
        await app.AddExpiredBatchAsync(Api.DemoOutlet, product, 6, today.AddDays(-3));
        var none = await app.AddStockedProductAsync("NYC-01", ("NY", today.AddDays(30), 9));
        using var api = app.IntegrationClient();

        var response = await api.GetAsync($"/api/stock/{Api.DemoOutlet}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stock = await response.JsonAsync();
        stock["outletCode"]!.GetValue<string>().ShouldBe(Api.DemoOutlet);
        var items = stock["items"]!.AsArray().ToDictionary(i => i!["sku"]!.GetValue<string>());
        await using (var scope = app.CreateDbScope(out var db))
            items.Count.ShouldBe(await db.Products.CountAsync(p => p.Active));
        var mine = items[product.Sku]!;
        (mine["onHand"]!.GetValue<int>(), mine["available"]!.GetValue<int>(), mine["expired"]!.GetValue<int>(), mine["lowStock"]!.GetValue<bool>())
            .ShouldBe((10, 4, 6, true), "reorder level 5, 4 available");
        var other = items[none.Sku]!;
        (other["onHand"]!.GetValue<int>(), other["available"]!.GetValue<int>(), other["lowStock"]!.GetValue<bool>()).ShouldBe((0, 0, true));

        await (await api.GetAsync("/api/stock/NOPE-1")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await app.TillClient().GetAsync($"/api/stock/{Api.DemoOutlet}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.TillClient().PostJsonAsync("/api/receipts", new { outletCode = "LDN-01", lines = Array.Empty<object>() })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
