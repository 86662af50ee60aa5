using System.Net;
using BackOffice.Core.Reporting;
using BackOffice.Tests.Support;

namespace BackOffice.Tests.Reporting;

/// <summary>The CSV export of each report: the page's columns, every row the filters select, for managers only.</summary>
public sealed class CsvExportTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private static async Task<string[]> LinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData("stock", "Outlet,SKU,Product,On hand,Available,Expired,Currency,Value at cost (sellable),Expired at cost")]
    [InlineData("expiry", "Expires,Days left,Outlet,SKU,Product,Lot,On hand,Currency,Unit cost,Value at risk")]
    [InlineData("ledger", "Id,When (UTC),Outlet,Kind,SKU,Product,Lot,Batch,Quantity,Reference,By,Till,Note")]
    [InlineData("sales", "Day,Currency,Quantity (net),Returned,Revenue (net),Tax,Gross,Cost,Margin,Margin %")]
    [InlineData("reorder", "Outlet,SKU,Product,Reorder level,Available,\"Sold, 28 days\",Days of cover,Suggested order")]
    [InlineData("discrepancies", "Outlet,SKU,Product,Units short,Returns not taken back,Times,Open,First (UTC),Last (UTC)")]
    [InlineData("variance", "Stock take,Outlet,Opened (UTC),Status,SKU,Product,Expected,Counted,Variance,Currency,Variance value")]
    public async Task A_manager_downloads_each_report_with_the_pages_columns(string name, string header)
    {
        var client = await app.ManagerClientAsync();
        var response = await client.GetAsync($"/reports/{name}.csv");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await LinesAsync(response))[0].ShouldBe(header);
    }

    [Fact]
    public void The_ledgers_by_column_names_the_till_of_a_tills_sale_and_the_reference_stays_whole()
    {
        var saleId = Guid.NewGuid();
        LedgerRow Row(string? user, string? till) => new(1, DateTime.UnixEpoch, 1, "LDN-01", "IBU-200", "Ibuprofen", Guid.NewGuid(), "L1",
            Core.Inventory.MovementKind.Sale, -1, $"sale:{saleId}", user, till, null, null);
        var columns = Web.Reporting.ReportColumns.LedgerFor(null);
        string Text(LedgerRow row, string header) => columns.Single(c => c.Header == header).Text(row);

        Text(Row(null, "Till 2"), "By").ShouldBe("Till 2");
        Text(Row("manager@pharmacy.test", "Till 2"), "By").ShouldBe("manager@pharmacy.test at Till 2");
        Text(Row("manager@pharmacy.test", null), "By").ShouldBe("manager@pharmacy.test");
        Text(Row(null, "Till 2"), "Reference").ShouldBe($"sale:{saleId}");
    }

    [Fact]
    public async Task The_csv_holds_every_row_the_filters_select()
    {
        var client = await app.ManagerClientAsync();
        await using var scope = app.CreateDbScope(out var db);
        var clock = TimeProvider.System;
        var outlet = db.Outlets.OrderBy(o => o.Code).First();
        var reports = new Reports(db, clock);

        var stock = await reports.StockValuationAsync(new ReportFilter(outlet.Id), take: 1);
        var stockLines = await LinesAsync(await client.GetAsync($"/reports/stock.csv?outlet={outlet.Id}"));
        stockLines.Length.ShouldBe(stock.Page.TotalRows + 1);
        stock.Page.TotalRows.ShouldBeGreaterThan(50, "more rows than one page of the table");

        // The whole ledger of the outlet, not one page of it.
        var ledger = await reports.LedgerAsync(new LedgerFilter(new ReportFilter(outlet.Id)), take: 1);
        var movements = db.Movements.Count(m => m.OutletId == outlet.Id);
        movements.ShouldBeGreaterThan(500, "more rows than the largest page");
        var ledgerLines = await LinesAsync(await client.GetAsync($"/reports/ledger.csv?outlet={outlet.Id}"));
        ledgerLines.Length.ShouldBe(movements + 1);
        ledgerLines[1].ShouldStartWith($"{ledger.Rows[0].Id},");

        // One batch: its running balance is a column, and the last line (its first movement) holds the receipt's quantity.
        var batch = ledger.Rows[0].BatchId;
        var batchLines = await LinesAsync(await client.GetAsync($"/reports/ledger.csv?batch={batch}"));
        batchLines[0].ShouldBe("Id,When (UTC),Outlet,Kind,SKU,Product,Lot,Batch,Quantity,Balance,Reference,By,Till,Note");
        batchLines.Length.ShouldBe(db.Movements.Count(m => m.BatchId == batch) + 1);
        var first = batchLines[^1].Split(',');
        first[9].ShouldBe(first[8], "the balance after a batch's first movement is that movement");

        // Amounts are plain numbers: each row says its currency, and the demo's three currencies stay apart.
        var allStock = (await LinesAsync(await client.GetAsync("/reports/stock.csv"))).Skip(1).ToList();
        var currencies = allStock.Select(l => new[] { "EUR", "GBP", "USD" }.SingleOrDefault(c => l.Contains($",{c},", StringComparison.Ordinal))).ToList();
        currencies.ShouldAllBe(c => c != null);
        currencies.Distinct().Order(StringComparer.Ordinal).ShouldBe(["EUR", "GBP", "USD"]);

        var expired = await reports.ExpiringAsync(new ReportFilter(), ExpirySection.Expired);
        (await LinesAsync(await client.GetAsync("/reports/expiry.csv?section=expired"))).Length.ShouldBe(expired.Batches + 1);
    }

    [Theory]
    [InlineData("/reports/stock.csv?outlet=abc", "outlet")]
    [InlineData("/reports/sales.csv?from=2026-13-01", "from")]
    [InlineData("/reports/sales.csv?from=2026-11-02&to=2026-11-01", "to")]
    [InlineData("/reports/sales.csv?by=week", "by")]
    [InlineData("/reports/ledger.csv?kind=3", "kind")]
    [InlineData("/reports/ledger.csv?batch=nope", "batch")]
    [InlineData("/reports/expiry.csv?days=0", "days")]
    public async Task A_filter_that_cannot_be_read_is_a_problem_for_its_field(string url, string field)
    {
        var client = await app.ManagerClientAsync();
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain($"\"{field}\"");
    }

    [Fact]
    public async Task Cashiers_and_strangers_get_no_report()
    {
        var cashier = await app.CashierClientAsync();
        (await cashier.GetAsync("/reports/stock.csv")).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        var stranger = app.CreateBrowserClient();
        var response = await stranger.GetAsync("/reports/ledger.csv");
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect);
        if (response.StatusCode == HttpStatusCode.Redirect) response.Headers.Location!.OriginalString.ShouldContain("login");
        var manager = await app.ManagerClientAsync();
        (await manager.GetAsync("/reports/nothing.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
