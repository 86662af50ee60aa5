using BackOffice.Core.Reporting;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Reporting;

/// <summary>
/// The ledger and sales reports filtered by outlet and date must find their rows through an index: SQLite's plan for
/// every command they send may not scan the movements or the daily sales totals.
/// </summary>
public sealed class QueryPlanTests : IAsyncLifetime
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(ReportFixture.Now);
    private ReportFixture _f = null!;

    public async Task InitializeAsync() => _f = await ReportFixture.BuildAsync(_database, _clock);

    public Task DisposeAsync() { _database.Dispose(); return Task.CompletedTask; }

    [SqliteFact]
    public async Task The_ledger_filtered_by_outlet_and_date_seeks_the_movements_index()
    {
        var filter = new ReportFilter(_f.A.Id, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        var plans = await PlansOfAsync(db => new Reports(db, _clock).LedgerAsync(new LedgerFilter(filter)));
        AssertNoScan(plans, "Movements");
        plans.ShouldContain(p => p.Steps.Any(s => s.Contains("USING INDEX IX_Movements_OutletId_CreatedAt")));

        // Every outlet, one month: the date alone must be enough.
        AssertNoScan(await PlansOfAsync(db => new Reports(db, _clock).LedgerAsync(new LedgerFilter(filter with { OutletId = null }))), "Movements");
        // The next page too.
        var page = await new Reports(_database.Open(), _clock).LedgerAsync(new LedgerFilter(filter), take: 2);
        AssertNoScan(await PlansOfAsync(db => new Reports(db, _clock).LedgerAsync(new LedgerFilter(filter), page.Next, 2)), "Movements");
    }

    [SqliteFact]
    public async Task The_sales_report_reads_only_the_daily_totals_through_an_index()
    {
        var filter = new ReportFilter(_f.A.Id, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        foreach (var by in Enum.GetValues<SalesBy>())
        {
            var plans = await PlansOfAsync(db => new Reports(db, _clock).SalesAsync(filter, by));
            AssertNoScan(plans, "SalesDays");
            // Never the sales themselves: a year of them is what made the report slow.
            plans.ShouldNotContain(p => p.Sql.Contains("\"Sales\" AS") || p.Sql.Contains("\"SaleLines\" AS") || p.Sql.Contains("\"Allocations\" AS") || p.Sql.Contains("\"Returns\" AS"));
            AssertSearch(plans, "SalesDays");
        }
        // Every outlet, one month: the day alone must be enough (the key leads with it).
        var everyOutlet = await PlansOfAsync(db => new Reports(db, _clock).SalesAsync(filter with { OutletId = null }, SalesBy.Day));
        AssertNoScan(everyOutlet, "SalesDays");
        AssertSearch(everyOutlet, "SalesDays");
    }

    [SqliteFact]
    public async Task The_check_sees_a_full_scan_when_there_is_one()
    {
        var plans = await PlansOfAsync(async db => await db.Movements.Where(m => m.Quantity == 3).ToListAsync());
        Should.Throw<ShouldAssertException>(() => AssertNoScan(plans, "Movements"));
    }

    private Task<IReadOnlyList<QueryPlans.Plan>> PlansOfAsync(Func<BackOffice.Core.Data.BackOfficeDb, Task> report) => QueryPlans.OfAsync(_database, report);

    private static void AssertNoScan(IReadOnlyList<QueryPlans.Plan> plans, string table) => QueryPlans.AssertNoScan(plans, table);

    private static void AssertSearch(IReadOnlyList<QueryPlans.Plan> plans, string table) => QueryPlans.AssertSearch(plans, table);
}
