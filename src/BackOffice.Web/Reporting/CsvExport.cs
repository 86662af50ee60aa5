using BackOffice.Core.Data;
using BackOffice.Core.Outlets;
using BackOffice.Core.Reporting;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Reporting;

/// <summary>
/// Writes a report as CSV: the page's columns, then every row the filters select, each written as it is read from the
/// database (memory stays flat however long the ledger).
/// </summary>
public static class CsvExport
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "stock", "expiry", "ledger", "sales", "reorder", "discrepancies", "variance" };

    public static string FileName(string name, ReportQuery query, DateTimeOffset now) =>
        $"{name}{(name == "sales" ? "-by-" + query.By.ToString().ToLowerInvariant() : name == "expiry" && query.Section == ExpirySection.Expired ? "-expired" : "")}-{now:yyyy-MM-dd}.csv";

    /// <summary>Returns the number of rows written (the header not counted).</summary>
    public static async Task<long> WriteAsync(Stream destination, string name, ReportQuery query, BackOfficeDb db, TimeProvider clock,
        BaseCurrency baseCurrency, CancellationToken ct = default)
    {
        var reports = new Reports(db, clock, baseCurrency);
        var f = query.Filter;
        return name switch
        {
            "stock" => await WriteAsync(destination, ReportColumns.Stock, (await reports.StockValueRowsAsync(f, ct)).AsAsyncEnumerable(), ct),
            "expiry" => await WriteAsync(destination, ReportColumns.Expiry, reports.ExpiryRowsAsync(f, query.Section, query.Days, ct), ct),
            "ledger" => await WriteAsync(destination, ReportColumns.LedgerFor(query.BatchId), (await reports.LedgerRowsAsync(new LedgerFilter(f, query.Kind, query.BatchId), null, ct)).AsAsyncEnumerable(), ct),
            "sales" => await WriteAsync(destination, ReportColumns.Sales(query.By), (await reports.SalesRowsAsync(f, query.By, ct)).ToAsyncEnumerable(), ct),
            "reorder" => await WriteAsync(destination, ReportColumns.Reorder, reports.ReorderRowsAsync(f, ct), ct),
            "discrepancies" => await WriteAsync(destination, ReportColumns.Discrepancies, (await reports.DiscrepancyRowsAsync(f, ct)).AsAsyncEnumerable(), ct),
            "variance" => await WriteAsync(destination, ReportColumns.Variance, (await reports.VarianceRowsAsync(f, ct)).AsAsyncEnumerable(), ct),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown report."),
        };
    }

    private static async Task<long> WriteAsync<T>(Stream destination, IReadOnlyList<ReportColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        // CsvHelper buffers up to 64 KiB and writes it out as it fills: rows go to the client as they are read.
        await using var csv = CsvWriter.Create(destination, CsvWriterOptions.Default, leaveOpen: true);
        await csv.WriteRecordAsync(columns.Select(c => c.Header).ToArray(), ct);
        var fields = new string[columns.Count];
        long written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            for (var i = 0; i < columns.Count; i++) fields[i] = Cell(columns[i], row);
            await csv.WriteRecordAsync(fields, ct);
            written++;
        }
        await csv.FlushAsync(ct);
        return written;
    }

    // Text a spreadsheet would run as a formula (a note typed as "=..." or "-...") is marked as text; numbers are left as they are.
    private static string Cell<T>(ReportColumn<T> column, T row)
    {
        var text = column.Text(row);
        return !column.Numeric && text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;
    }
}
