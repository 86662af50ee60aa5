using System.Net;
using System.Text.Json.Nodes;
using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Catalog;

/// <summary>The app with every EF command of its contexts counted.</summary>
public sealed class CountingBackOfficeApp : BackOfficeAppFactory
{
    public CommandCounter Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.ConfigureDbContext<BackOfficeDb>(o => o.AddInterceptors(Commands)));
    }
}

/// <summary>Several barcodes per product through the API (api.md "Lots: barcodes, GS1 and recalls"): PUT, 409, the till catalog.</summary>
public sealed class ProductBarcodeApiTests(CountingBackOfficeApp app) : IClassFixture<CountingBackOfficeApp>
{
    [Fact]
    public async Task Put_replaces_the_other_barcodes_and_answers_them_all_the_primary_first()
    {
        using var api = app.IntegrationClient();
        var sku = "BC-" + Guid.NewGuid().ToString("N")[..8];
        var created = await api.PutJsonAsync($"/api/products/{sku}", new { name = "Gauze", price = 2m, barcode = "5012345670010", barcodes = new[] { "036000291452", "SUP-1" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await created.JsonAsync())["barcodes"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["5012345670010", "036000291452", "SUP-1"]);

        // Without "barcodes" the others stay; with them they are replaced (the primary listed there too is no duplicate).
        var kept = await api.PutJsonAsync($"/api/products/{sku}", new { name = "Gauze swabs", price = 2m, barcode = "5012345670010" });
        (await kept.JsonAsync())["barcodes"]!.AsArray().Count.ShouldBe(3);
        var replaced = await api.PutJsonAsync($"/api/products/{sku}", new { name = "Gauze swabs", price = 2m, barcode = "5012345670010", barcodes = new[] { "5012345670010", "SUP-2" } });
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replaced.JsonAsync())["barcodes"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["5012345670010", "SUP-2"]);

        await using var scope = app.CreateDbScope(out var db);
        (await db.ProductBarcodes.Where(b => b.Product.Sku == sku).OrderBy(b => b.Key).Select(b => b.Key).ToListAsync())
            .ShouldBe(["05012345670010", "SUP-2"], "a GTIN keyed as GTIN-14, another code as itself");
    }

    [Fact]
    public async Task Another_products_barcode_in_any_spelling_is_409_on_the_field_and_changes_nothing()
    {
        using var api = app.IntegrationClient();
        var one = "BC1-" + Guid.NewGuid().ToString("N")[..6];
        var two = "BC2-" + Guid.NewGuid().ToString("N")[..6];
        (await api.PutJsonAsync($"/api/products/{one}", new { name = "One", price = 1m, barcode = "5012345670027", barcodes = new[] { "036000291469" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PutJsonAsync($"/api/products/{two}", new { name = "Two", price = 1m, barcode = "5012345670034" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await app.LedgerAsync();

        // The UPC-A 036000291469 written as its GTIN-14 is the same barcode.
        var taken = await api.PutJsonAsync($"/api/products/{two}", new { name = "Two", price = 1m, barcode = "5012345670034", barcodes = new[] { "00036000291469" } });
        var problem = await taken.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.ErrorFields().ShouldBe(["barcodes"]);
        problem["errors"]!["barcodes"]![0]!.GetValue<string>().ShouldContain(one);
        var primary = await api.PutJsonAsync($"/api/products/{two}", new { name = "Two", price = 1m, barcode = "05012345670027" });
        (await primary.ShouldBeProblemAsync(HttpStatusCode.Conflict)).ErrorFields().ShouldBe(["barcode"]);

        var bad = await api.PutJsonAsync($"/api/products/{two}", new { name = "Two", price = 1m, barcode = "5012345670034", barcodes = new[] { "5012345670035" } });
        (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldBe(["barcodes"]);

        (await app.LedgerAsync()).ShouldBe(before);
        await using var scope = app.CreateDbScope(out var db);
        (await db.ProductBarcodes.Where(b => b.Product.Sku == two).Select(b => b.Code).ToListAsync()).ShouldBe(["5012345670034"]);
    }

    [Fact]
    public async Task The_till_catalog_carries_every_barcode_and_its_etag_moves_when_they_change()
    {
        using var api = app.IntegrationClient();
        using var till = app.TillClient();
        var sku = "BCT-" + Guid.NewGuid().ToString("N")[..6];
        (await api.PutJsonAsync($"/api/products/{sku}", new { name = "Floss", price = 2.5m, barcode = "5012345670041", tracksExpiry = false }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = await till.GetAsync("/api/till/catalog");
        var etag = first.Headers.ETag!;

        (await api.PutJsonAsync($"/api/products/{sku}", new { name = "Floss", price = 2.5m, barcode = "5012345670041", tracksExpiry = false, barcodes = new[] { "96385074" } }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        request.Headers.IfNoneMatch.Add(etag);
        var response = await till.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a barcode added is a new catalog version");
        var product = (await response.JsonAsync())["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == sku)!;
        product["barcode"]!.GetValue<string>().ShouldBe("5012345670041");
        product["barcodes"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["5012345670041", "96385074"]);
    }

    [Fact]
    public async Task The_catalog_takes_as_many_commands_with_many_barcodes_as_with_one_each()
    {
        using var till = app.TillClient();
        (await till.GetAsync("/api/till/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK); // the till's first use writes LastSeenAt

        var few = await CountCatalogAsync();
        await using (var scope = app.CreateDbScope(out var db))
        {
            var products = await db.Products.Where(p => p.Active).OrderBy(p => p.Id).Select(p => p.Id).Take(100).ToListAsync();
            foreach (var (id, n) in products.Select((id, n) => (id, n)))
                for (var k = 0; k < 3; k++)
                    db.ProductBarcodes.Add(new ProductBarcode { ProductId = id, Code = $"EXTRA-{n}-{k}", Key = $"EXTRA-{n}-{k}" });
            await db.SaveChangesAsync();
        }
        var many = await CountCatalogAsync();

        few.Commands.ShouldBeGreaterThan(0, "the app's contexts carry the counter");
        many.Commands.ShouldBe(few.Commands);
        many.Barcodes.ShouldBe(few.Barcodes + 300);

        async Task<(int Commands, int Barcodes)> CountCatalogAsync()
        {
            app.Commands.Reset();
            var response = await till.GetAsync("/api/till/catalog");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var commands = app.Commands.Count;
            var catalog = await response.JsonAsync();
            return (commands, catalog["products"]!.AsArray().Sum(p => p!["barcodes"]!.AsArray().Count));
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_barcodes_and_gs1_lines()
    {
        using var client = app.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).JsonAsync();
        var schemas = document["components"]!["schemas"]!;
        JsonNode Resolve(JsonNode node) => node["$ref"] is { } reference ? schemas[reference.GetValue<string>().Replace("#/components/schemas/", "")]! : node;
        JsonNode Body(string path, string verb) => Resolve(document["paths"]![path]![verb]!["requestBody"]!["content"]!["application/json"]!["schema"]!);

        Body("/api/products/{sku}", "put")["properties"]!["barcodes"].ShouldNotBeNull();
        Resolve(Body("/api/receipts", "post")["properties"]!["lines"]!["items"]!)["properties"]!["gs1"].ShouldNotBeNull();
        schemas["ProductView"]!["properties"]!["barcodes"].ShouldNotBeNull();
        schemas["TillProduct"]!["properties"]!["barcodes"].ShouldNotBeNull();
    }
}
