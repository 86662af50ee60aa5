using System.Net;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Sales;

/// <summary>
/// Invariant 11: every number a till sends is bounded (api.md), each violation a 400 with its field that records nothing,
/// and after it — and after the largest sale the bounds allow — the Z report, the sales report and its CSV still answer.
/// </summary>
public sealed class SaleBoundsTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    public static TheoryData<string, string> Violations() => new()
    {
        { "quantity-max-int", "lines[0].quantity" },
        { "quantity-over-10000", "lines[0].quantity" },
        { "quantity-zero", "lines[0].quantity" },
        { "price-1e17", "lines[0].unitPrice" },
        { "price-over-100000", "lines[0].unitPrice" },
        { "price-negative", "lines[0].unitPrice" },
        { "price-three-decimals", "lines[0].unitPrice" },
        { "201-lines", "lines" },
        { "no-lines", "lines" },
        { "year-one", "occurredAt" },
        { "91-days-ago", "occurredAt" },
        { "10-minutes-ahead", "occurredAt" },
        { "card-short", "payments" },
        { "cash-short", "payments" },
        { "card-over-total", "payments" },
        { "payment-negative", "payments[0].amount" },
        { "payment-huge", "payments[0].amount" },
        { "21-payments", "payments" },
    };

    private static object Body(string violation, string sku)
    {
        var now = DateTimeOffset.UtcNow;
        object Line(int quantity = 1, decimal price = 6.62m) => new { sku, quantity, unitPrice = price };
        object Pay(string method, decimal amount) => new { method, amount };
        object Sale(object[] lines, object[]? payments = null, DateTimeOffset? at = null) =>
            new { saleId = Guid.NewGuid().ToString(), occurredAt = at ?? now.AddMinutes(-1), lines, payments };
        return violation switch
        {
            "quantity-max-int" => Sale([Line(quantity: int.MaxValue)]),
            "quantity-over-10000" => Sale([Line(quantity: 10_001)]),
            "quantity-zero" => Sale([Line(quantity: 0)]),
            "price-1e17" => Sale([Line(price: 1e17m)]),
            "price-over-100000" => Sale([Line(price: 100_000.01m)]),
            "price-negative" => Sale([Line(price: -0.01m)]),
            "price-three-decimals" => Sale([Line(price: 1.005m)]),
            "201-lines" => Sale(Enumerable.Range(0, 201).Select(_ => Line()).ToArray()),
            "no-lines" => Sale([]),
            "year-one" => Sale([Line()], at: new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            "91-days-ago" => Sale([Line()], at: now.AddDays(-91)),
            "10-minutes-ahead" => Sale([Line()], at: now.AddMinutes(10)),
            "card-short" => Sale([Line()], [Pay("card", 0.01m)]),
            "cash-short" => Sale([Line()], [Pay("cash", 6.61m)]),
            "card-over-total" => Sale([Line()], [Pay("card", 10m)]),
            "payment-negative" => Sale([Line()], [Pay("cash", -1m), Pay("cash", 10m)]),
            "payment-huge" => Sale([Line()], [Pay("cash", 1e13m)]),
            "21-payments" => Sale([Line(price: 21m)], Enumerable.Range(0, 21).Select(_ => Pay("cash", 1m)).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(violation)),
        };
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_sale_out_of_bounds_is_a_400_on_its_field_that_records_nothing_and_breaks_no_later_request(string violation, string field)
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 50));
        var before = await app.LedgerAsync();
        using var till = app.TillClient();

        var response = await till.PostJsonAsync("/api/till/sales", Body(violation, product.Sku));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorFields().ShouldContain(field);
        (await app.LedgerAsync()).ShouldBe(before, "no sale, movement or stock change");
        await AssertDayStillAnswersAsync(till);
    }

    [Fact]
    public async Task The_largest_sales_the_bounds_allow_overflow_no_total_Z_report_or_report()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 10));
        using var till = app.TillClient();
        var lines = Enumerable.Range(0, 200).Select(_ => new { sku = product.Sku, quantity = 10_000, unitPrice = 100_000m }).ToArray();
        // 1,100 such sales would pass 2^31 units in one day's figures: a handful through the same day's rows and the
        // 64-bit columns must carry them (2,000,000 units and 200,000,000,000.00 a sale).
        for (var i = 0; i < 3; i++)
        {
            var response = await till.PostJsonAsync("/api/till/sales",
                new { saleId = Guid.NewGuid().ToString(), occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), lines });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            (await response.JsonAsync())["total"]!.GetValue<decimal>().ShouldBe(200_000_000_000m);
        }
        await using (var scope = app.CreateDbScope(out var db))
        {
            var units = await db.SalesDays.Where(d => d.ProductId == product.Id).SumAsync(d => d.SoldQuantity);
            units.ShouldBe(6_000_000L);
        }
        var z = await AssertDayStillAnswersAsync(till);
        (z["itemsSold"]!.GetValue<long>() >= 6_000_000).ShouldBeTrue();
        (z["salesTotal"]!.GetValue<decimal>() >= 600_000_000_000m).ShouldBeTrue();
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    [InlineData("1999-12-31")]
    [InlineData("2026-13-01")]
    [InlineData("yesterday")]
    public async Task A_Z_report_date_out_of_range_or_malformed_is_a_400(string date)
    {
        using var till = app.TillClient();
        var problem = await (await till.GetAsync($"/api/till/z-report?date={date}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorFields().ShouldContain("date");
    }

    /// <summary>The day's Z report, the back-office sales report and its CSV all answer 200.</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> AssertDayStillAnswersAsync(HttpClient till)
    {
        var z = await till.GetAsync("/api/till/z-report");
        z.StatusCode.ShouldBe(HttpStatusCode.OK, await z.Content.ReadAsStringAsync());
        using var manager = await app.SignedInClientAsync("Manager");
        foreach (var by in new[] { "day", "product", "till" })
        {
            var csv = await manager.GetAsync($"/reports/sales.csv?by={by}");
            csv.StatusCode.ShouldBe(HttpStatusCode.OK, await csv.Content.ReadAsStringAsync());
            (await csv.Content.ReadAsStringAsync()).ShouldNotContain("overflow", Case.Insensitive);
        }
        await using var scope = app.CreateDbScope(out var db);
        var reports = new BackOffice.Core.Reporting.Reports(db, TimeProvider.System);
        foreach (var by in Enum.GetValues<BackOffice.Core.Reporting.SalesBy>())
            await reports.SalesAsync(new BackOffice.Core.Reporting.ReportFilter(), by);
        return await z.JsonAsync();
    }
}
