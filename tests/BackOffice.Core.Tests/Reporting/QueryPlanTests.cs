using System.Data.Common;
using BackOffice.Core.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

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

    // SQLite names a table in its plan by the query's alias ("SCAN m"), so the aliases of the table are read from the SQL.
    private static void AssertNoScan(IReadOnlyList<Plan> plans, string table)
    {
        var scans = plans.Where(p => System.Text.RegularExpressions.Regex.Matches(p.Sql, $"\"{table}\" AS \"(\\w+)\"")
                .Select(m => m.Groups[1].Value)
                .Any(alias => p.Steps.Any(step => step == $"SCAN {alias}" || step.StartsWith($"SCAN {alias} "))))
            .Select(p => string.Join(" | ", p.Steps) + "  <-  " + p.Sql.ReplaceLineEndings(" "));
        scans.ShouldBeEmpty($"no full scan of {table}");
    }

    private static void AssertSearch(IReadOnlyList<Plan> plans, string table) =>
        plans.ShouldContain(p => System.Text.RegularExpressions.Regex.Matches(p.Sql, $"\"{table}\" AS \"(\\w+)\"")
            .Select(m => m.Groups[1].Value)
            .Any(alias => p.Steps.Any(step => step.StartsWith($"SEARCH {alias} USING "))), $"{table} read through an index");

    private sealed record Plan(string Sql, IReadOnlyList<string> Steps);

    /// <summary>Runs the report, then asks SQLite for the plan of every command it sent, with the same parameters.</summary>
    private async Task<IReadOnlyList<Plan>> PlansOfAsync(Func<BackOffice.Core.Data.BackOfficeDb, Task> report)
    {
        var recorder = new Recorder();
        await using (var db = _database.Open(recorder)) await report(db);
        var plans = new List<Plan>();
        // Through EF's own connection, which registers the functions its SQL uses (ef_sum, ef_multiply, ...).
        await using var planDb = _database.Open();
        await planDb.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)planDb.Database.GetDbConnection();
        foreach (var (sql, parameters) in recorder.Commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            await using var reader = await explain.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
            plans.Add(new Plan(sql, lines));
        }
        return plans;
    }

    private sealed class Recorder : DbCommandInterceptor
    {
        public List<(string Sql, List<(string, object?)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            return ValueTask.FromResult(result);
        }
    }
}
