using System.Globalization;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Catalog;

public enum ImportRowStatus { New, Update, Error }

/// <summary>One data row of a products CSV: what it says, and why it cannot be imported (field → message) if so.</summary>
public sealed class ProductImportRow(int line, string sku, ProductChanges changes)
{
    /// <summary>The row's line in the file (the header is line 1).</summary>
    public int Line { get; } = line;
    public string Sku { get; } = sku;
    public ProductChanges Changes { get; } = changes;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public ImportRowStatus Status { get; internal set; } = ImportRowStatus.New;

    public bool IsValid => Errors.Count == 0;

    internal void Fail(string field, string message)
    {
        Errors.TryAdd(field, message);
        Status = ImportRowStatus.Error;
    }
}

/// <summary>A parsed file: a file-level error (bad header, unreadable CSV) leaves no rows.</summary>
public sealed record ProductImportFile(string? Error, IReadOnlyList<ProductImportRow> Rows)
{
    public int Valid => Rows.Count(r => r.IsValid);
}

public sealed record ProductImportProgress(int Done, int Total);

public sealed record ProductImportFailure(int Line, string Sku, string Message);

public sealed record ProductImportSummary(int Created, int Updated, IReadOnlyList<ProductImportFailure> Failures)
{
    public int Failed => Failures.Count;
}

/// <summary>
/// CSV import of products (issue 6): columns sku, barcode, name, price, reorderLevel, tracksExpiry, active, taxCategory and
/// barcodes (the other barcodes, separated by spaces or '|'; an empty cell removes them, no column keeps them), with a
/// header (any case, any order). Numbers are read in the invariant culture (1234.50). Parsing and checks come first
/// (<see cref="Parse"/>, then <see cref="CheckAgainstCatalogAsync"/>) so the manager sees every row's fate before
/// anything is written; the import then saves each valid row on its own through
/// <see cref="ProductCatalog.SaveAsync(string, ProductChanges, CancellationToken)"/>, so one bad row does not stop the others.
/// </summary>
public static class ProductCsvImport
{
    public const long MaxFileBytes = 5 * 1024 * 1024;

    public static readonly string[] Columns = ["sku", "barcode", "name", "price", "reorderLevel", "tracksExpiry", "active", "taxCategory", "barcodes"];

    /// <summary>A price in another currency than the base one: a column "price_EUR", "price_USD"…</summary>
    public const string PriceColumnPrefix = "price_";
    private static readonly string[] RequiredColumns = ["sku", "name", "price"];

    private static string? PriceColumn(string name) =>
        name.Length == PriceColumnPrefix.Length + 3 && name.StartsWith(PriceColumnPrefix, StringComparison.OrdinalIgnoreCase)
            ? PriceColumnPrefix + name[PriceColumnPrefix.Length..].ToUpperInvariant() : null;

    /// <summary>Reads the file and applies the rules that need no database: field formats, the catalog's field rules, duplicates within the file.</summary>
    public static ProductImportFile Parse(TextReader text)
    {
        var rows = new List<ProductImportRow>();
        using (var csv = CsvTable.Open(text, Columns, RequiredColumns, patternColumn: PriceColumn, patternHint: ", and price_EUR (a price per currency)"))
        {
            while (csv.Read())
            {
                var errors = new List<(string, string)>();
                if (csv.FieldCountError is { } length) errors.Add(("row", length));

                var price = Number<decimal>(csv["price"], "price", errors, decimal.TryParse);
                var reorder = Number<int>(csv["reorderLevel"], "reorderLevel", errors, int.TryParse);
                var tracksExpiry = Flag(csv["tracksExpiry"], "tracksExpiry", errors);
                var active = Flag(csv["active"], "active", errors);
                var sku = csv["sku"] ?? "";
                var priceColumns = csv.HeaderColumns.Where(c => c.StartsWith(PriceColumnPrefix, StringComparison.Ordinal)).ToList();
                var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
                foreach (var column in priceColumns)
                    if (Number<decimal>(csv[column], column, errors, decimal.TryParse) is { } inCurrency) prices[column[PriceColumnPrefix.Length..]] = inCurrency;
                // No price column: the prices in other currencies stay as they are; a column with an empty cell removes that price.
                var changes = new ProductChanges(csv["name"], csv["barcode"], price, reorder, tracksExpiry, active, csv["taxCategory"],
                    priceColumns.Count > 0 ? prices : null, csv.Has("barcodes") ? ProductBarcodes.Split(csv["barcodes"]) : null);
                var row = new ProductImportRow(csv.Line, sku, changes);
                foreach (var (field, message) in errors) row.Fail(field, message);
                // A field that failed to parse is already explained; the catalog's rules speak for the others.
                foreach (var (field, message) in ProductCatalog.Check(sku, changes))
                    if (!row.Errors.ContainsKey(field)) row.Fail(field, message);
                rows.Add(row);
            }
            if (csv.Error is not null) return new ProductImportFile(csv.Error, []);
        }

        foreach (var group in rows.Where(r => r.Sku.Length > 0).GroupBy(r => r.Sku, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var row in group.Skip(1))
                row.Fail("sku", $"The sku '{row.Sku}' is already on line {group.First().Line} of the file.");
        // Barcodes compare by key (a GTIN-13 and its GTIN-14 are one barcode), over both columns.
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
            foreach (var (field, code) in BarcodesOf(row))
                if (!firstLine.TryAdd(ProductBarcodes.KeyOf(code), row.Line) && firstLine[ProductBarcodes.KeyOf(code)] != row.Line)
                    row.Fail(field, $"The barcode '{code}' is already on line {firstLine[ProductBarcodes.KeyOf(code)]} of the file.");
        return new ProductImportFile(null, rows);
    }

    /// <summary>
    /// Marks rows new or update, and refuses barcodes another product holds, in one query whatever the file's size.
    /// The save checks again (another user may change the catalog meanwhile).
    /// </summary>
    public static async Task CheckAgainstCatalogAsync(BackOfficeDb db, ProductImportFile file, CancellationToken ct = default)
    {
        var skus = file.Rows.Select(r => r.Sku).Where(s => s.Length > 0).Distinct().ToList();
        var keys = file.Rows.SelectMany(BarcodesOf).Select(b => ProductBarcodes.KeyOf(b.Code)).Distinct().ToList();
        // EF.Parameter: one JSON parameter per list (OPENJSON / json_each). EF 10's default of one parameter per value
        // breaks SQL Server's 2,100-parameter limit on a file of a few thousand rows.
        var known = await db.Products.Where(p => EF.Parameter(skus).Contains(p.Sku) || p.Barcodes.Any(b => EF.Parameter(keys).Contains(b.Key)))
            .Select(p => new { p.Sku, Keys = p.Barcodes.Where(b => EF.Parameter(keys).Contains(b.Key)).Select(b => b.Key).ToList() }).ToListAsync(ct);
        var existing = known.Select(p => p.Sku).ToHashSet(StringComparer.Ordinal);
        var holders = known.SelectMany(p => p.Keys.Select(k => (Key: k, p.Sku))).ToDictionary(p => p.Key, p => p.Sku, StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            foreach (var (field, code) in BarcodesOf(row))
                if (holders.TryGetValue(ProductBarcodes.KeyOf(code), out var holder) && holder != row.Sku)
                    row.Fail(field, $"The barcode '{code}' belongs to {holder}.");
            if (row.IsValid) row.Status = existing.Contains(row.Sku) ? ImportRowStatus.Update : ImportRowStatus.New;
        }
    }

    /// <summary>Saves the valid rows one by one (each its own transaction); a row the save refuses is counted as failed and the rest go on.</summary>
    public static async Task<ProductImportSummary> ImportAsync(BackOfficeDb db, TimeProvider clock, IReadOnlyList<ProductImportRow> rows,
        IProgress<ProductImportProgress>? progress = null, CancellationToken ct = default)
    {
        var valid = rows.Where(r => r.IsValid).ToList();
        var catalog = new ProductCatalog(db, clock);
        int created = 0, updated = 0, done = 0;
        var failures = new List<ProductImportFailure>();
        foreach (var row in valid)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var saved = await catalog.SaveAsync(row.Sku, row.Changes, ct);
                if (saved.Created) created++; else updated++;
            }
            catch (ValidationFailedException e)
            {
                failures.Add(new ProductImportFailure(row.Line, row.Sku, e.Errors.Values.SelectMany(v => v).FirstOrDefault() ?? e.Message));
            }
            catch (BarcodeInUseException e)
            {
                failures.Add(new ProductImportFailure(row.Line, row.Sku, e.Message));
            }
            catch (DbUpdateException e)
            {
                failures.Add(new ProductImportFailure(row.Line, row.Sku, e.InnerException?.Message ?? e.Message));
            }
            // Each save stands alone: the context does not keep thousands of tracked products or a failed row's leftovers.
            db.ChangeTracker.Clear();
            progress?.Report(new ProductImportProgress(++done, valid.Count));
        }
        return new ProductImportSummary(created, updated, failures);
    }

    /// <summary>A row's barcodes with the column each came from, one per key (the primary first).</summary>
    private static IEnumerable<(string Field, string Code)> BarcodesOf(ProductImportRow row)
    {
        var primary = string.IsNullOrWhiteSpace(row.Changes.Barcode) ? null : row.Changes.Barcode.Trim();
        return ProductBarcodes.All(primary, row.Changes.Barcodes ?? []).Select(code => (code == primary ? "barcode" : "barcodes", code));
    }

    private delegate bool TryParse<T>(string text, NumberStyles styles, IFormatProvider culture, out T value);

    private static T? Number<T>(string? text, string field, List<(string, string)> errors, TryParse<T> parse) where T : struct
    {
        if (text is null) return null;
        var styles = typeof(T) == typeof(decimal) ? NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint : NumberStyles.AllowLeadingSign;
        if (parse(text, styles, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add((field, typeof(T) == typeof(decimal)
            ? $"{field} '{text}' is not a number (use a dot for decimals: 12.50)."
            : $"{field} '{text}' is not a whole number."));
        return null;
    }

    private static bool? Flag(string? text, string field, List<(string, string)> errors)
    {
        switch (text?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "yes" or "1": return true;
            case "false" or "no" or "0": return false;
            default:
                errors.Add((field, $"{field} '{text}' is not true or false."));
                return null;
        }
    }
}
