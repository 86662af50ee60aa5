using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackOffice.Core.Inventory;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Tills;

/// <summary>Till authentication (till token only, revocation, last seen) and the till's own routes: /me and the catalog.</summary>
public sealed class TillApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task Me_names_the_till_and_its_outlet()
    {
        using var till = app.TillClient();
        var response = await till.GetAsync("/api/till/me");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var me = await response.JsonAsync();
        me["tillName"]!.GetValue<string>().ShouldBe(Core.Data.DemoData.DemoTillName);
        me["outletCode"]!.GetValue<string>().ShouldBe(Api.DemoOutlet);
        me["outletName"]!.GetValue<string>().ShouldBe("Camden High Street Pharmacy");
        me["tillId"]!.GetValue<int>().ShouldBeGreaterThan(0);
        me["currency"]!.GetValue<string>().ShouldBe("GBP");
        me["culture"]!.GetValue<string>().ShouldBe("en-GB");
        me["pricesIncludeTax"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task The_catalog_gives_each_outlet_its_currencys_price_and_its_rate_for_the_products_category()
    {
        using var integration = app.IntegrationClient();
        var put = await integration.PutJsonAsync("/api/products/VITC-TAX-1", new { name = "Vitamin C 1 g ×20", price = 3.99m, taxCategory = "Vitamins", prices = new { EUR = 4.49m } });
        put.StatusCode.ShouldBe(HttpStatusCode.Created);
        var saved = await put.JsonAsync();
        saved["taxCategory"]!.GetValue<string>().ShouldBe("vitamins");
        saved["prices"]!["EUR"]!.GetValue<decimal>().ShouldBe(4.49m);

        async Task<JsonNode> ProductAt(HttpClient till)
        {
            var catalog = await (await till.GetAsync("/api/till/catalog")).JsonAsync();
            return catalog["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == "VITC-TAX-1")!;
        }
        using var london = app.TillClient();
        using var paris = app.BearerClient(await app.AddTillAsync("PAR-01"));
        using var newYork = app.BearerClient(await app.AddTillAsync("NYC-01"));
        var inLondon = await ProductAt(london);
        inLondon["price"]!.GetValue<decimal>().ShouldBe(3.99m);
        inLondon["taxRate"]!.GetValue<decimal>().ShouldBe(20m, "London has no rate for vitamins: its standard rate");
        var inParis = await ProductAt(paris);
        inParis["price"]!.GetValue<decimal>().ShouldBe(4.49m);
        inParis["taxCategory"]!.GetValue<string>().ShouldBe("vitamins");
        inParis["taxRate"]!.GetValue<decimal>().ShouldBe(5.5m);
        (await ProductAt(newYork))["price"].ShouldBeNull("no USD price: the New York till does not offer it");
        (await (await newYork.GetAsync("/api/till/catalog")).JsonAsync())["currency"]!.GetValue<string>().ShouldBe("USD");

        // A price in an unknown currency, in the base currency, or with three decimals changes nothing.
        var bad = await integration.PutJsonAsync("/api/products/VITC-TAX-1", new { name = "Vitamin C", price = 1m, prices = new Dictionary<string, decimal> { ["XYZ"] = 1m, ["GBP"] = 2m, ["USD"] = 1.005m } });
        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorFields().ShouldBe(["prices.XYZ", "prices.GBP", "prices.USD"], ignoreOrder: true);
        (await ProductAt(paris))["price"]!.GetValue<decimal>().ShouldBe(4.49m);
    }

    [Fact]
    public async Task Missing_unknown_revoked_or_wrong_kind_of_credential_is_401_with_problem_details()
    {
        var revoked = await app.AddTillAsync(Api.DemoOutlet, revoked: true);
        foreach (var (secret, why) in new (string?, string)[]
                 {
                     (null, "no token"), ("till_not_a_real_token", "unknown token"), (revoked, "revoked till"),
                     (app.IntegrationKey(), "an API key on a till route"),
                 })
        {
            using var client = app.BearerClient(secret);
            foreach (var url in new[] { "/api/till/me", "/api/till/catalog" })
            {
                var response = await client.GetAsync(url);
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{why} on {url}");
                response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
            }
            (await (await client.GetAsync("/api/till/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task A_managers_cookie_is_not_a_till_credential()
    {
        using var manager = await app.ManagerClientAsync();
        manager.DefaultRequestHeaders.Accept.Clear();
        manager.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        (await manager.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoking_a_till_makes_its_next_call_401()
    {
        var token = await app.AddTillAsync(Api.DemoOutlet);
        using var till = app.BearerClient(token);
        (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = app.CreateDbScope(out var db))
            await db.Tills.Where(t => t.TokenHash == Core.Tills.Secrets.Hash(token))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow));

        (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Last_seen_is_written_on_first_use_and_not_again_within_a_minute()
    {
        var token = await app.AddTillAsync(Api.DemoOutlet);
        var hash = Core.Tills.Secrets.Hash(token);
        using var till = app.BearerClient(token);
        (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var marker = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var scope = app.CreateDbScope(out var db))
        {
            var seen = await db.Tills.Where(t => t.TokenHash == hash).Select(t => t.LastSeenAt).SingleAsync();
            seen.ShouldNotBeNull();
            seen.Value.ShouldBeGreaterThan(DateTime.UtcNow.AddMinutes(-1));
            await db.Tills.Where(t => t.TokenHash == hash).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastSeenAt, marker));
        }

        for (var i = 0; i < 5; i++) (await till.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = app.CreateDbScope(out var db))
            (await db.Tills.Where(t => t.TokenHash == hash).Select(t => t.LastSeenAt).SingleAsync()).ShouldBe(marker, "no write per request");
    }

    [Fact]
    public async Task Catalog_lists_every_active_product_with_sellable_stock_and_next_expiry_at_the_tills_outlet()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var stocked = await app.AddStockedProductAsync(Api.DemoOutlet, ("A", today.AddDays(40), 7), ("B", today.AddDays(10), 5));
        await app.AddExpiredBatchAsync(Api.DemoOutlet, stocked, 9, today.AddDays(-1));
        var elsewhere = await app.AddStockedProductAsync("PAR-01", ("P", today.AddDays(30), 4));
        var inactive = await app.AddStockedProductAsync(Api.DemoOutlet, ("I", today.AddDays(30), 4));
        await using (var scope = app.CreateDbScope(out var db))
            await db.Products.Where(p => p.Id == inactive.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, false));

        using var till = app.TillClient();
        var response = await till.GetAsync("/api/till/catalog");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var catalog = await response.JsonAsync();
        catalog["outletCode"]!.GetValue<string>().ShouldBe(Api.DemoOutlet);
        var products = catalog["products"]!.AsArray().ToDictionary(p => p!["sku"]!.GetValue<string>());

        await using (var scope = app.CreateDbScope(out var db))
        {
            var outletId = await db.Outlets.Where(o => o.Code == Api.DemoOutlet).Select(o => o.Id).SingleAsync();
            (await db.Products.CountAsync(p => p.Active)).ShouldBe(products.Count, "every active product, stocked or not");
            // The figures are the available-quantity query's, product by product (a sample of the demo catalog).
            var expected = await db.StockAt(outletId, today).ToListAsync();
            foreach (var p in expected.Take(50))
                products[p.Sku]!["available"]!.GetValue<int>().ShouldBe(p.Available, p.Sku);
        }

        products[stocked.Sku]!["available"]!.GetValue<int>().ShouldBe(12, "the expired batch is not sellable");
        products[stocked.Sku]!["nextExpiry"]!.GetValue<string>().ShouldBe(today.AddDays(10).ToString("yyyy-MM-dd"));
        products[stocked.Sku]!["price"]!.GetValue<decimal>().ShouldBe(stocked.Price);
        products[stocked.Sku]!["barcode"]!.GetValue<string>().ShouldBe(stocked.Barcode);
        products[elsewhere.Sku]!["available"]!.GetValue<int>().ShouldBe(0, "stock at another outlet");
        products[elsewhere.Sku]!["nextExpiry"].ShouldBeNull();
        products.ShouldNotContainKey(inactive.Sku);
    }

    [Fact]
    public async Task Catalog_answers_304_to_its_etag_until_stock_or_products_change()
    {
        using var till = app.TillClient();
        var first = await till.GetAsync("/api/till/catalog");
        var etag = first.Headers.ETag;
        etag.ShouldNotBeNull();

        var again = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await till.SendAsync(again);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();

        // A receipt at the outlet is a stock change: the old tag no longer matches.
        await app.AddStockedProductAsync(Api.DemoOutlet, ("E", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(60), 3));
        var changed = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        changed.Headers.IfNoneMatch.Add(etag);
        var fresh = await till.SendAsync(changed);
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        fresh.Headers.ETag.ShouldNotBe(etag);

        var stale = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        (await till.SendAsync(stale)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_product_changed_by_an_integration_changes_the_catalog_etag()
    {
        using var till = app.TillClient();
        var etag = (await till.GetAsync("/api/till/catalog")).Headers.ETag!;
        var sku = "ETAG-" + Guid.NewGuid().ToString("N")[..6];
        using var api = app.IntegrationClient();
        (await api.PutAsync($"/api/products/{sku}", JsonContent.Create(new { name = "Plasters ×20", price = 2.2m, tracksExpiry = false })))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        request.Headers.IfNoneMatch.Add(etag);
        var response = await till.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var product = (await response.JsonAsync())["products"]!.AsArray().Single(p => p!["sku"]!.GetValue<string>() == sku)!;
        product["available"]!.GetValue<int>().ShouldBe(0);
        product["price"]!.GetValue<decimal>().ShouldBe(2.2m);

        // A price change alone (same count of products, no stock movement) is a new version too.
        var second = response.Headers.ETag!;
        (await api.PutAsync($"/api/products/{sku}", JsonContent.Create(new { name = "Plasters ×20", price = 2.4m, tracksExpiry = false })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = new HttpRequestMessage(HttpMethod.Get, "/api/till/catalog");
        again.Headers.IfNoneMatch.Add(second);
        (await till.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
