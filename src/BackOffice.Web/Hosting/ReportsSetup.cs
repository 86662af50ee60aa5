using System.Globalization;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Reporting;
using BackOffice.Web.Reporting;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Hosting;

public static class ReportsSetup
{
    public static void AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Reports>();
    }

    /// <summary>
    /// GET /reports/{name}.csv with the page's filters: the rows the page shows, every page of them, streamed as they are
    /// read from the database (memory stays flat however long the ledger).
    /// </summary>
    public static void MapReports(this WebApplication app)
    {
        app.MapGet("/reports/{name}.csv", async (string name, HttpContext http, IDbContextFactory<BackOfficeDb> factory, TimeProvider clock, CancellationToken ct) =>
        {
            ReportQuery query;
            try
            {
                query = ReportQuery.Parse(http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
            }
            catch (ValidationFailedException e)
            {
                return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: e.Message);
            }
            if (!Names.Contains(name)) return Results.NotFound();
            return new CsvResult(name, query, factory, clock);
        }).RequireAuthorization(Policies.BackOffice);
    }

    private static readonly HashSet<string> Names = ["stock", "expiry", "ledger", "sales", "reorder", "discrepancies", "variance"];

    private sealed class CsvResult(string name, ReportQuery query, IDbContextFactory<BackOfficeDb> factory, TimeProvider clock) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            await using var db = await factory.CreateDbContextAsync(ct);
            var reports = new Reports(db, clock);
            var f = query.Filter;
            http.Response.ContentType = "text/csv; charset=utf-8";
            var file = $"{name}{(name == "sales" ? "-by-" + query.By.ToString().ToLowerInvariant() : name == "expiry" && query.Section == ExpirySection.Expired ? "-expired" : "")}-{clock.GetUtcNow():yyyy-MM-dd}.csv";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
            try
            {
                switch (name)
                {
                    case "stock": await WriteAsync(http, ReportColumns.Stock, (await reports.StockValueRowsAsync(f, ct)).AsAsyncEnumerable(), ct); break;
                    case "expiry": await WriteAsync(http, ReportColumns.Expiry, reports.ExpiryRowsAsync(f, query.Section, query.Days, ct), ct); break;
                    case "ledger": await WriteAsync(http, ReportColumns.Ledger, (await reports.LedgerRowsAsync(new LedgerFilter(f, query.Kind, query.BatchId), null, ct)).AsAsyncEnumerable(), ct); break;
                    case "sales": await WriteAsync(http, ReportColumns.Sales(query.By), (await reports.SalesRowsAsync(f, query.By, ct)).ToAsyncEnumerable(), ct); break;
                    case "reorder": await WriteAsync(http, ReportColumns.Reorder, reports.ReorderRowsAsync(f, ct), ct); break;
                    case "discrepancies": await WriteAsync(http, ReportColumns.Discrepancies, (await reports.DiscrepancyRowsAsync(f, ct)).AsAsyncEnumerable(), ct); break;
                    case "variance": await WriteAsync(http, ReportColumns.Variance, (await reports.VarianceRowsAsync(f, ct)).AsAsyncEnumerable(), ct); break;
                }
            }
            catch (ValidationFailedException e) when (!http.Response.HasStarted)
            {
                http.Response.Headers.ContentDisposition = default;
                await Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: e.Message).ExecuteAsync(http);
            }
        }

        private static async Task WriteAsync<T>(HttpContext http, IReadOnlyList<ReportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken ct)
        {
            // CsvHelper buffers up to 64 KiB and writes it out as it fills: rows go to the client as they are read.
            await using var csv = CsvWriter.Create(http.Response.Body, CsvWriterOptions.Default, leaveOpen: true);
            await csv.WriteRecordAsync(columns.Select(c => c.Header).ToArray(), ct);
            var fields = new string[columns.Count];
            await foreach (var row in rows.WithCancellation(ct))
            {
                for (var i = 0; i < columns.Count; i++) fields[i] = Cell(columns[i], row);
                await csv.WriteRecordAsync(fields, ct);
            }
            await csv.FlushAsync(ct);
        }

        // Text a spreadsheet would run as a formula (a note typed as "=..." or "-...") is marked as text; numbers are left as they are.
        private static string Cell<T>(ReportColumn<T> column, T row)
        {
            var text = column.Text(row);
            return !column.Numeric && text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;
        }
    }
}
