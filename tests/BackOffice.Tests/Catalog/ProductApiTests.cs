using System.Net;
using System.Text;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Catalog;

/// <summary>PUT /api/products/{sku}: integrations keep the catalog; API key only; barcodes unique.</summary>
public sealed class ProductApiTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Fact]
    public async Task Put_creates_201_then_updates_200_and_the_body_is_the_product()
    {
        using var api = app.IntegrationClient();
        var sku = "ERP-" + Guid.NewGuid().ToString("N")[..8];
        var created = await api.PutAsync($"/api/products/{sku}", Json(new { name = "Zinc 25 mg tablets ×30", barcode = "5012345678900", price = 4.5m, reorderLevel = 6, tracksExpiry = true, active = true }));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.JsonAsync();
        body["sku"]!.GetValue<string>().ShouldBe(sku);
        body["name"]!.GetValue<string>().ShouldBe("Zinc 25 mg tablets ×30");
        body["price"]!.GetValue<decimal>().ShouldBe(4.5m);
        body["reorderLevel"]!.GetValue<int>().ShouldBe(6);

        var updated = await api.PutAsync($"/api/products/{sku}", Json(new { name = "Zinc 25 mg ×30", barcode = "5012345678900", price = 4.75m, reorderLevel = 8, tracksExpiry = true, active = false }));
        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await updated.JsonAsync())["active"]!.GetValue<bool>().ShouldBeFalse();

        await using var scope = app.CreateDbScope(out var db);
        var product = await db.Products.SingleAsync(p => p.Sku == sku);
        (product.Name, product.Price, product.ReorderLevel, product.Active).ShouldBe(("Zinc 25 mg ×30", 4.75m, 8, false));
    }

    [Fact]
    public async Task A_barcode_of_another_product_is_409_and_changes_nothing()
    {
        using var api = app.IntegrationClient();
        (await api.PutAsync("/api/products/BC-ONE", Json(new { name = "One", barcode = "4000000000013", price = 1m }))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PutAsync("/api/products/BC-TWO", Json(new { name = "Two", barcode = "4000000000020", price = 1m }))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await app.LedgerAsync();

        var taken = await api.PutAsync("/api/products/BC-TWO", Json(new { name = "Two", barcode = "4000000000013", price = 1m }));
        (await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict)).ErrorFields().ShouldContain("barcode");
        var newOne = await api.PutAsync("/api/products/BC-THREE", Json(new { name = "Three", barcode = "4000000000013", price = 1m }));
        await newOne.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await app.LedgerAsync()).ShouldBe(before);
        await using var scope = app.CreateDbScope(out var db);
        (await db.Products.Where(p => p.Sku == "BC-TWO").Select(p => p.Barcode).SingleAsync()).ShouldBe("4000000000020");
    }

    [Theory]
    [InlineData("""{"barcode":"1","price":1}""", "name")]
    [InlineData("""{"name":"N","price":-1}""", "price")]
    [InlineData("""{"name":"N"}""", "price")]
    [InlineData("""{"name":"N","price":1.234}""", "price")]
    [InlineData("""{"name":"N","price":1,"reorderLevel":-2}""", "reorderLevel")]
    [InlineData("""{"name":"N","price":"cheap"}""", "price")]
    public async Task Invalid_product_is_400_with_the_field_and_stores_nothing(string json, string field)
    {
        var before = await app.LedgerAsync();
        using var api = app.IntegrationClient();
        var response = await api.PutAsync("/api/products/BAD-" + field, new StringContent(json, Encoding.UTF8, "application/json"));
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldContain(field);
        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Only_an_api_key_may_put_products()
    {
        var before = await app.LedgerAsync();
        foreach (var secret in new[] { null, "key_unknown", app.DemoTillToken() })
        {
            using var client = app.BearerClient(secret);
            var response = await client.PutAsync("/api/products/NOPE-1", Json(new { name = "N", price = 1m }));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"credential {secret ?? "(none)"}");
        }
        (await app.LedgerAsync()).ShouldBe(before);
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
}
