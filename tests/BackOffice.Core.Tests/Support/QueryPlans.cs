using System.Data.Common;
using BackOffice.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Core.Tests.Support;

/// <summary>SQLite's query plans of what an operation sends, and checks that a table is read through an index.</summary>
internal static class QueryPlans
{
    // SQLite names a table in its plan by the query's alias ("SCAN m"), so the aliases of the table are read from the SQL.
    public static void AssertNoScan(IReadOnlyList<Plan> plans, string table)
    {
        var scans = plans.Where(p => System.Text.RegularExpressions.Regex.Matches(p.Sql, $"\"{table}\" AS \"(\\w+)\"")
                .Select(m => m.Groups[1].Value)
                .Any(alias => p.Steps.Any(step => step == $"SCAN {alias}" || step.StartsWith($"SCAN {alias} "))))
            .Select(p => string.Join(" | ", p.Steps) + "  <-  " + p.Sql.ReplaceLineEndings(" "));
        scans.ShouldBeEmpty($"no full scan of {table}");
    }

    public static void AssertSearch(IReadOnlyList<Plan> plans, string table) =>
        plans.ShouldContain(p => System.Text.RegularExpressions.Regex.Matches(p.Sql, $"\"{table}\" AS \"(\\w+)\"")
            .Select(m => m.Groups[1].Value)
            .Any(alias => p.Steps.Any(step => step.StartsWith($"SEARCH {alias} USING "))), $"{table} read through an index");

    public sealed record Plan(string Sql, IReadOnlyList<string> Steps);

    /// <summary>Runs the operation, then asks SQLite for the plan of every query it sent, with the same parameters.</summary>
    public static async Task<IReadOnlyList<Plan>> OfAsync(ShopDatabase database, Func<BackOfficeDb, Task> report)
    {
        var recorder = new Recorder();
        await using (var db = database.Open(recorder)) await report(db);
        var plans = new List<Plan>();
        // Through EF's own connection, which registers the functions its SQL uses (ef_sum, ef_multiply, ...).
        await using var planDb = database.Open();
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
