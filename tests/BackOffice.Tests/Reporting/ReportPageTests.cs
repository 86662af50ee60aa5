using System.Globalization;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Reporting;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using BackOffice.Web.Reporting;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BackOffice.Tests.Reporting;

/// <summary>
/// Each report page rendered against the seeded demo database plus a few sales, a shortfall and a stock take: what the
/// page shows is what the Reports service computes, and a filter change reloads it.
/// </summary>
public sealed class ReportPageTests : ComponentTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly FixedClock _clock = new(TestDatabase.SeedNow.AddHours(3));
    private ShopDatabase _db = null!;
    private int _london;
    private SalesReport _salesBefore = null!;

    private ReportFilter MonthToToday
    {
        get
        {
            var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
            return new ReportFilter(From: today.AddDays(-29), To: today);
        }
    }

    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    public override async Task InitializeAsync()
    {
        _db = ShopDatabase.Seeded();
        Services.AddDbContextFactory<BackOfficeDb>(o => _db.Configure(o));
        Services.AddSingleton<TimeProvider>(_clock);
        // The pages' Reports through PerOperation, each call on a context of its own, as the app registers them.
        Services.AddSingleton(typeof(PerOperation<>));
        Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<BackOfficeDb>>().CreateDbContext());
        Services.AddScoped<Reports>();
        var auth = AddAuthorization();
        auth.SetAuthorized("manager@pharmacy.test");
        auth.SetRoles("Manager");
        _popovers = Render<MudPopoverProvider>();

        await using var db = _db.Open();
        _london = await db.Outlets.Where(o => o.Code == "LDN-01").Select(o => o.Id).SingleAsync();
        var skus = await db.Batches.Where(b => b.OutletId == _london && b.OnHand > 5 && (b.ExpiryDate == null || b.ExpiryDate > new DateOnly(2026, 12, 31)))
            .Select(b => b.Product.Sku).Distinct().OrderBy(s => s).Take(3).ToListAsync();
        var unstocked = await db.Products.Where(p => p.Active && !db.Batches.Any(b => b.OutletId == _london && b.ProductId == p.Id && b.OnHand > 0))
            .Select(p => p.Sku).FirstAsync();
        // The demo data has two weeks of sales of its own; the page test adds these two on top.
        _salesBefore = await Reports(db).SalesAsync(MonthToToday, SalesBy.Day);
        var sales = new SaleRecorder(db, _clock, NoStockChangeNotifier.Instance);
        await sales.RecordSaleAsync(new SaleRequest(Guid.NewGuid(), _clock.GetUtcNow().AddHours(-1),
            [new SaleLineRequest(skus[0], 2, 4.00m), new SaleLineRequest(skus[1], 1, 9.99m)]), new Counter(_london));
        await sales.RecordSaleAsync(new SaleRequest(Guid.NewGuid(), _clock.GetUtcNow().AddDays(-2),
            [new SaleLineRequest(skus[2], 3, 2.50m), new SaleLineRequest(unstocked, 2, 1.00m)]), new Counter(_london));

        var batch = await db.Batches.Where(b => b.OutletId == _london && b.OnHand > 0).OrderBy(b => b.Id).Select(b => new { b.Id, b.ProductId, b.OnHand }).FirstAsync();
        var take = new StockTake { OutletId = _london, Status = StockTakeStatus.Posted, OpenedAt = _clock.GetUtcNow().UtcDateTime.AddDays(-1), SnapshotAt = _clock.GetUtcNow().UtcDateTime.AddDays(-1) };
        db.StockTakes.Add(take);
        await db.SaveChangesAsync();
        db.StockTakeLines.Add(new StockTakeLine { StockTakeId = take.Id, ProductId = batch.ProductId, BatchId = batch.Id, Expected = batch.OnHand, Counted = batch.OnHand - 1 });
        await db.SaveChangesAsync();
    }

    protected override Task DisposeTestAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private Reports Reports(BackOfficeDb db) => new(db, _clock);

    // With no outlet chosen, totals are per currency in the user's culture.
    private static string Money(IReadOnlyList<CurrencyAmount> totals) => Formats.User.Money(totals);

    private static decimal Revenue(SalesReport report, string currency) => report.Totals.SingleOrDefault(t => t.Currency == currency)?.Revenue ?? 0;

    private static void Search(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string text) =>
        Type(page, "filter-product", text);

    // As a person types: input events, then leaving the field (which MudBlazor commits without waiting for its debounce).
    private static void Type(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string testId, string text)
    {
        var input = page.Find($"input[data-testid={testId}]");
        // Date and number fields commit on change, text fields on input.
        if (input.HasAttribute("blazor:onchange")) input.Change(text);
        else input.Input(text);
        page.Find($"input[data-testid={testId}]").Blur();
    }

    [Fact]
    public async Task Stock_page_shows_the_valuation_a_chart_by_outlet_and_reloads_on_a_product_search()
    {
        await using var db = _db.Open();
        var report = await Reports(db).StockValuationAsync(new ReportFilter(), take: 25);
        var page = Render<StockReportPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(25), Wait);
        // The demo's outlets are in pounds, euros and dollars: three totals, never one.
        report.Value.Select(v => v.Currency).ShouldBe(["EUR", "GBP", "USD"]);
        page.Find("[data-testid=total-value]").TextContent.Trim().ShouldBe(Money(report.Value));
        page.Find("[data-testid=chart] svg").ShouldNotBeNull();
        page.Find("[data-testid=report-table] tbody tr").TextContent.ShouldContain(report.Page.Rows[0].ProductName);
        page.Find("[data-testid=report-table-csv]").GetAttribute("href").ShouldBe("/reports/stock.csv");

        var sku = report.Page.Rows[0].Sku;
        var filtered = await Reports(db).StockValuationAsync(new ReportFilter(Product: sku));
        Search(page, sku);
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(filtered.Page.Rows.Count), Wait);
        page.Find("[data-testid=total-value]").TextContent.Trim().ShouldBe(Money(filtered.Value));
        page.Find("[data-testid=report-table-csv]").GetAttribute("href").ShouldBe($"/reports/stock.csv?product={Uri.EscapeDataString(sku)}");
    }

    // Chooses an outlet in the report's filter, as a person does: open the list, click the outlet.
    private async Task ChooseOutletAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page, string code)
    {
        await page.InvokeAsync(() => page.Find("[data-testid=filter-outlet]").ParentElement!.ParentElement!.MouseDown());
        _popovers.WaitForAssertion(() => _popovers.FindAll(".mud-list-item").ShouldContain(i => i.TextContent.Contains(code)), Wait);
        await _popovers.InvokeAsync(() => _popovers.FindAll(".mud-list-item").First(i => i.TextContent.Contains(code)).Click());
    }

    [Theory]
    [InlineData("LDN-01", "en-GB", "GBP", @"^£\d{1,3}(,\d{3})*\.\d{2}$", @"^\d{2}/\d{2}/\d{4}$")]
    [InlineData("PAR-01", "fr-FR", "EUR", "^\\d{1,3}(\u202F\\d{3})*,\\d{2}\u00A0€$", @"^\d{2}/\d{2}/\d{4}$")]
    [InlineData("NYC-01", "en-US", "USD", @"^\$\d{1,3}(,\d{3})*\.\d{2}$", @"^\d{1,2}/\d{1,2}/\d{4}$")]
    public async Task A_report_for_one_outlet_writes_its_money_and_days_in_the_outlets_culture(string code, string culture, string currency, string money, string day)
    {
        await using var db = _db.Open();
        var outletId = await db.Outlets.Where(o => o.Code == code).Select(o => o.Id).SingleAsync();
        var soon = await Reports(db).ExpiringAsync(new ReportFilter(outletId));
        soon.Page.Rows.ShouldNotBeEmpty();
        var page = Render<ExpiryReportPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=expiring-table] tbody tr").Count.ShouldBeGreaterThan(0), Wait);

        await ChooseOutletAsync(page, code);
        var first = soon.Page.Rows[0];
        var formats = Formats.ForOutlet(culture, null);
        page.WaitForAssertion(() => page.Find("[data-testid=value-at-risk]").TextContent.Trim().ShouldBe(formats.Money(soon.Value.ShouldHaveSingleItem())), Wait);
        soon.Value.Single().Currency.ShouldBe(currency);
        page.Find("[data-testid=value-at-risk]").TextContent.Trim().ShouldMatch(money);
        // The first row: its expiry day and its value at risk, written the outlet's way.
        page.WaitForAssertion(() => page.Find("[data-testid=expiring-table] tbody tr").TextContent.ShouldContain(formats.Date(first.ExpiryDate)), Wait);
        var cells = page.Find("[data-testid=expiring-table] tbody tr").QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        cells[0].ShouldMatch(day);
        cells[^1].ShouldMatch(money);
        cells[^1].ShouldBe(formats.Money(first.Value, currency));

        // The sales page's date inputs write (and read) its first day the outlet's way: 01/11/2026 in London, 11/1/2026 in New York.
        var sales = Render<SalesReportPage>();
        sales.WaitForAssertion(() => sales.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBeGreaterThan(0), Wait);
        await ChooseOutletAsync(sales, code);
        sales.WaitForAssertion(() => sales.Find("input[data-testid=filter-from]").GetAttribute("value").ShouldBe(formats.Date(MonthToToday.From!.Value)), Wait);
        sales.Find("input[data-testid=filter-from]").GetAttribute("value")!.ShouldMatch(day);
    }

    [Fact]
    public async Task Expiry_page_shows_value_at_risk_by_week_and_the_expired_stock()
    {
        await using var db = _db.Open();
        var soon = await Reports(db).ExpiringAsync(new ReportFilter());
        var expired = await Reports(db).ExpiringAsync(new ReportFilter(), ExpirySection.Expired);
        soon.Batches.ShouldBeGreaterThan(0);
        var page = Render<ExpiryReportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=value-at-risk]").TextContent.Trim().ShouldBe(Money(soon.Value)), Wait);
        page.WaitForAssertion(() => page.FindAll("[data-testid=expiring-table] tbody tr").Count.ShouldBe(Math.Min(25, soon.Batches)), Wait);
        page.WaitForAssertion(() => page.Find("[data-testid=expired-value]").TextContent.ShouldContain(Money(expired.Value)), Wait);
        page.Find("[data-testid=chart] svg").ShouldNotBeNull();

        var week = await Reports(db).ExpiringAsync(new ReportFilter(), withinDays: 7);
        Type(page, "filter-days", "7");
        page.WaitForAssertion(() => page.Find("[data-testid=value-at-risk]").TextContent.Trim().ShouldBe(Money(week.Value)), Wait);
        page.Find("[data-testid=expiring-table-csv]").GetAttribute("href").ShouldBe("/reports/expiry.csv?days=7");
    }

    [Fact]
    public async Task Ledger_page_pages_by_key_and_filters_by_product()
    {
        await using var db = _db.Open();
        var first = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter()));
        var page = Render<LedgerReportPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger-table] tbody tr").Count.ShouldBe(50), Wait);
        page.Find("[data-testid=ledger-table] tbody tr").TextContent.ShouldContain(first.Rows[0].Sku);

        await page.ClickOnAsync("[data-testid=ledger-older]");
        var second = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter()), first.Next);
        page.WaitForAssertion(() => page.Find("[data-testid=ledger-table] tbody tr").TextContent.ShouldContain(second.Rows[0].Id.ToString(CultureInfo.InvariantCulture)), Wait);
        await page.ClickOnAsync("[data-testid=ledger-newer]");
        page.WaitForAssertion(() => page.Find("[data-testid=ledger-table] tbody tr").TextContent.ShouldContain(first.Rows[0].Id.ToString(CultureInfo.InvariantCulture)), Wait);

        var sku = first.Rows[0].Sku;
        var bySku = await Reports(db).LedgerAsync(new LedgerFilter(new ReportFilter(Product: sku)));
        Search(page, sku);
        page.WaitForAssertion(() => page.FindAll("[data-testid=ledger-table] tbody tr").Count.ShouldBe(bySku.Rows.Count), Wait);
    }

    [Fact]
    public async Task Sales_page_shows_revenue_and_margin_over_time_and_regroups()
    {
        await using var db = _db.Open();
        var filter = MonthToToday;
        var report = await Reports(db).SalesAsync(filter, SalesBy.Day);
        // The test's sales were in London: in pounds, and nothing else moved.
        (Revenue(report, "GBP") - Revenue(_salesBefore, "GBP")).ShouldBe(2 * 4.00m + 9.99m + 3 * 2.50m + 2 * 1.00m);
        Revenue(report, "EUR").ShouldBe(Revenue(_salesBefore, "EUR"));
        report.Totals.Select(t => t.Currency).ShouldBe(["EUR", "GBP", "USD"]);
        // One row per day and currency with sales: the demo's, and today's and two days ago's in pounds from this test's sales.
        var days = _salesBefore.Page.Rows.Select(r => (r.Day, r.Currency)).Concat([(DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime), "GBP"),
            (DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime.AddDays(-2)), "GBP")]).Distinct().Count();
        report.Page.TotalRows.ShouldBe(days);
        var page = Render<SalesReportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=total-revenue]").TextContent.Trim()
            .ShouldBe(Money(report.Totals.Select(t => new CurrencyAmount(t.Revenue, t.Currency)).ToList())), Wait);
        page.FindAll("[data-testid=total-margin]").Select(m => m.TextContent.Trim())
            .ShouldBe(report.Totals.Select(t => Formats.User.Money(t.Margin, t.Currency)));
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(Math.Min(25, days)), Wait);
        page.Find("[data-testid=chart] svg").ShouldNotBeNull();

        var vit = report.Page.Rows[0];
        var byProduct = await Reports(db).SalesAsync(filter with { Product = "zzz-no-such" }, SalesBy.Day);
        Search(page, "zzz-no-such");
        byProduct.Totals.ShouldBeEmpty();
        page.WaitForAssertion(() => page.Find("[data-testid=total-revenue]").TextContent.Trim().ShouldBe(Money([])), Wait);
        // The totals are drawn as soon as they are read, the table when it receives its page: wait for both.
        page.WaitForAssertion(() => page.Find("[data-testid=report-table]").TextContent.ShouldContain("No sales match these filters."), Wait);
        _ = vit;
    }

    [Fact]
    public async Task Reorder_page_lists_low_stock_with_a_suggestion()
    {
        await using var db = _db.Open();
        var report = await Reports(db).ReorderAsync(new ReportFilter(), take: 25);
        report.TotalRows.ShouldBeGreaterThan(0);
        var page = Render<ReorderReportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=report-table]").TextContent.ShouldContain($"{report.TotalRows} lines to reorder"), Wait);
        // The count is drawn as soon as it is read, the rows when the table receives its page: wait for both.
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(Math.Min(25, report.TotalRows)), Wait);

        var sku = report.Rows[0].Sku;
        var filtered = await Reports(db).ReorderAsync(new ReportFilter(Product: sku));
        Search(page, sku);
        page.WaitForAssertion(() => page.Find("[data-testid=report-table]").TextContent.ShouldContain($"{filtered.TotalRows} lines to reorder"), Wait);
    }

    [Fact]
    public async Task Discrepancies_page_shows_the_shortfall_and_filters_by_outlet_days()
    {
        await using var db = _db.Open();
        var report = await Reports(db).DiscrepanciesAsync(new ReportFilter());
        report.ShortfallUnits.ShouldBe(2);
        var page = Render<DiscrepancyReportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=total-shortfall]").TextContent.Trim().ShouldBe("2"), Wait);
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(1), Wait);
        page.Find("[data-testid=chart] svg").ShouldNotBeNull();

        // The shortfall was recorded today (for a sale made two days ago): a range up to yesterday leaves nothing.
        var yesterdayDay = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var yesterday = yesterdayDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Typed as the culture in view writes days.
        Type(page, "filter-to", Formats.User.Date(yesterdayDay));
        page.WaitForAssertion(() => page.Find("[data-testid=total-shortfall]").TextContent.Trim().ShouldBe("0"), Wait);
        page.Find("[data-testid=report-table-csv]").GetAttribute("href").ShouldBe($"/reports/discrepancies.csv?to={yesterday}");

        // A range ending before it starts is refused with a message, and the report keeps its filter.
        Type(page, "filter-from", Formats.User.Date(new DateOnly(2030, 1, 1)));
        page.WaitForAssertion(() => page.Find("[data-testid=filter-error]").TextContent.ShouldContain("before the first day"), Wait);
        page.Find("[data-testid=report-table-csv]").GetAttribute("href").ShouldBe($"/reports/discrepancies.csv?to={yesterday}");
    }

    [Fact]
    public async Task Variance_page_shows_counted_against_expected()
    {
        var page = Render<VarianceReportPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=report-table] tbody tr").Count.ShouldBe(1), Wait);
        var row = page.Find("[data-testid=report-table] tbody tr").TextContent;
        row.ShouldContain("LDN-01");
        row.ShouldContain("Posted");
        row.ShouldContain("-1");
        page.Find("[data-testid=chart] svg").ShouldNotBeNull();

        Search(page, "zzz-no-such");
        page.WaitForAssertion(() => page.Find("[data-testid=report-table]").TextContent.ShouldContain("No counted lines match these filters."), Wait);
        await Task.CompletedTask;
    }
}
