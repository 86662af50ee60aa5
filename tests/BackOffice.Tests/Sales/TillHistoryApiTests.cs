using System.Net;
using BackOffice.Tests.Support;

namespace BackOffice.Tests.Sales;

/// <summary>GET /api/till/sales/{saleId} (returns from another till's sale) and GET /api/till/z-report (the till's day).</summary>
public sealed class TillHistoryApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private static object Return(Guid saleId, string sku, int quantity) => new
    {
        returnId = Guid.NewGuid().ToString(), saleId = saleId.ToString(), occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        lines = new[] { new { sku, quantity } }, reason = "test",
    };

    [Fact]
    public async Task A_sale_of_the_shop_can_be_looked_up_by_another_till_with_what_is_already_returned()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("L1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(60), 10));
        using var first = app.TillClient();
        var saleId = Guid.NewGuid();
        (await first.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku, quantity: 3, unitPrice: 4.10m))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await first.PostJsonAsync("/api/till/returns", Return(saleId, product.Sku, 1))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var second = app.BearerClient(await app.AddTillAsync(Api.DemoOutlet));
        var response = await second.GetAsync($"/api/till/sales/{saleId}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sale = await response.JsonAsync();
        sale["saleId"]!.GetValue<string>().ShouldBe(saleId.ToString());
        sale["total"]!.GetValue<decimal>().ShouldBe(12.30m);
        var line = sale["lines"]![0]!;
        (line["sku"]!.GetValue<string>(), line["quantity"]!.GetValue<int>(), line["unitPrice"]!.GetValue<decimal>(), line["returned"]!.GetValue<int>())
            .ShouldBe((product.Sku, 3, 4.10m, 1));
        sale["payments"]![0]!["method"]!.GetValue<string>().ShouldBe("cash");
    }

    [Fact]
    public async Task Another_outlets_sale_is_not_found_and_a_malformed_id_is_a_field_error()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("L1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(60), 10));
        using var till = app.TillClient();
        var saleId = Guid.NewGuid();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(saleId, product.Sku))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var elsewhere = app.BearerClient(await app.AddTillAsync("PAR-01"));
        await (await elsewhere.GetAsync($"/api/till/sales/{saleId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await till.GetAsync("/api/till/sales/not-a-uuid")).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldBe(["saleId"]);
        (await app.BearerClient(app.IntegrationKey()).GetAsync($"/api/till/sales/{saleId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_z_report_counts_the_tills_own_day_by_payment_method_with_returns_refunded_by_the_sales_tender()
    {
        var today = await app.TodayAtAsync(Api.DemoOutlet);
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("L1", today.AddDays(60), 50));
        using var till = app.BearerClient(await app.AddTillAsync(Api.DemoOutlet));
        using var other = app.TillClient();
        var cashSale = Guid.NewGuid();
        var cardSale = Guid.NewGuid();
        (await till.PostJsonAsync("/api/till/sales", Api.Sale(cashSale, product.Sku, quantity: 2, unitPrice: 2.50m))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await till.PostJsonAsync("/api/till/sales", new
        {
            saleId = cardSale.ToString(), occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            lines = new[] { new { sku = product.Sku, quantity = 3, unitPrice = 4.00m } },
            payments = new[] { new { method = "card", amount = 12.00m } },
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await till.PostJsonAsync("/api/till/returns", Return(cardSale, product.Sku, 1))).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Another till's sale is not in this till's drawer.
        (await other.PostJsonAsync("/api/till/sales", Api.Sale(Guid.NewGuid(), product.Sku, quantity: 1))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var response = await till.GetAsync($"/api/till/z-report?date={today:yyyy-MM-dd}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var z = await response.JsonAsync();
        z["salesCount"]!.GetValue<int>().ShouldBe(2);
        z["itemsSold"]!.GetValue<int>().ShouldBe(5);
        z["salesTotal"]!.GetValue<decimal>().ShouldBe(17.00m);
        z["byMethod"]!["cash"]!.GetValue<decimal>().ShouldBe(5.00m);
        z["byMethod"]!["card"]!.GetValue<decimal>().ShouldBe(12.00m);
        z["returnsCount"]!.GetValue<int>().ShouldBe(1);
        z["returnsTotal"]!.GetValue<decimal>().ShouldBe(4.00m);
        z["refundsByMethod"]!["card"]!.GetValue<decimal>().ShouldBe(4.00m);
        z["refundsByMethod"]!["cash"]!.GetValue<decimal>().ShouldBe(0m);
        z["netTotal"]!.GetValue<decimal>().ShouldBe(13.00m);
        // London: pounds, and a product of the standard category at 20% VAT included in its price.
        z["currency"]!.GetValue<string>().ShouldBe("GBP");
        var tax = z["taxes"]!.AsArray().Single()!;
        (tax["category"]!.GetValue<string>(), tax["rate"]!.GetValue<decimal>(), tax["net"]!.GetValue<decimal>(), tax["tax"]!.GetValue<decimal>(), tax["gross"]!.GetValue<decimal>())
            .ShouldBe(("standard", 20m, 14.17m, 2.83m, 17.00m)); // 5.00 → 0.83 (0.8333), 12.00 → 2.00
        var refund = z["refundTaxes"]!.AsArray().Single()!;
        (refund["tax"]!.GetValue<decimal>(), refund["gross"]!.GetValue<decimal>()).ShouldBe((0.67m, 4.00m)); // a third of the card sale's 2.00

        (await (await till.GetAsync("/api/till/z-report?date=24/11/2026")).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldBe(["date"]);
        var yesterday = await (await till.GetAsync($"/api/till/z-report?date={today.AddDays(-1):yyyy-MM-dd}")).JsonAsync();
        yesterday["salesCount"]!.GetValue<int>().ShouldBe(0);
    }
}
