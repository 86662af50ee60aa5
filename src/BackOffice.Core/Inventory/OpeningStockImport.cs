using System.Globalization;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

public enum OpeningStockRowStatus
{
    /// <summary>Will be received.</summary>
    Ready,
    Error,
    /// <summary>The same outlet, product, lot and expiry as an earlier row: received once, from the earlier row.</summary>
    Duplicate,
    /// <summary>An earlier opening stock import received this outlet, product, lot and expiry already.</summary>
    AlreadyReceived,
}

/// <summary>One data row of an opening stock CSV: what it says, its fate, and why (field → message).</summary>
public sealed class OpeningStockRow
{
    private readonly Dictionary<string, string> _formatErrors;

    internal OpeningStockRow(int line, Dictionary<string, string> formatErrors)
    {
        Line = line;
        _formatErrors = formatErrors;
        Errors = new Dictionary<string, string>(formatErrors, StringComparer.Ordinal);
        Status = formatErrors.Count > 0 ? OpeningStockRowStatus.Error : OpeningStockRowStatus.Ready;
    }

    /// <summary>The row's line in the file (the header is line 1).</summary>
    public int Line { get; }
    public string? OutletCode { get; init; }
    public string? Sku { get; init; }
    public string? Barcode { get; init; }
    public string? LotNumber { get; init; }
    public DateOnly? ExpiryDate { get; init; }
    public int? Quantity { get; init; }
    public decimal? UnitCost { get; init; }

    /// <summary>The sku of the product the row names, by its sku or its barcode; null until found.</summary>
    public string? ProductSku { get; private set; }
    public Dictionary<string, string> Errors { get; private set; }
    public OpeningStockRowStatus Status { get; private set; }
    /// <summary>For a duplicate, the line it repeats.</summary>
    public int? DuplicateOfLine { get; private set; }
    /// <summary>For a row received before, the reference of the receipt that took it.</summary>
    public string? ReceivedIn { get; private set; }

    public decimal Value => (Quantity ?? 0) * (UnitCost ?? 0);

    internal int OutletId { get; private set; }
    internal int ProductId { get; private set; }
    internal (int, int, string?, DateOnly?) Key => (OutletId, ProductId, ReceiptRules.Lot(LotNumber), ExpiryDate);

    /// <summary>Back to what the file alone says, before a check against the database.</summary>
    internal void Reset()
    {
        Errors = new Dictionary<string, string>(_formatErrors, StringComparer.Ordinal);
        Status = Errors.Count > 0 ? OpeningStockRowStatus.Error : OpeningStockRowStatus.Ready;
        (ProductSku, DuplicateOfLine, ReceivedIn, OutletId, ProductId) = (null, null, null, 0, 0);
    }

    internal void Found(int outletId, int productId, string? productSku)
    {
        if (outletId != 0) OutletId = outletId;
        if (productId != 0) (ProductId, ProductSku) = (productId, productSku);
    }

    internal void Fail(string field, string message)
    {
        Errors.TryAdd(field, message);
        Status = OpeningStockRowStatus.Error;
    }

    internal void Repeats(int line)
    {
        DuplicateOfLine = line;
        if (Status == OpeningStockRowStatus.Ready) Status = OpeningStockRowStatus.Duplicate;
    }

    internal void WasReceivedIn(string reference)
    {
        ReceivedIn = reference;
        if (Status == OpeningStockRowStatus.Ready) Status = OpeningStockRowStatus.AlreadyReceived;
    }
}

/// <summary>What one outlet would receive (ready rows), and how many of its rows will not be.</summary>
public sealed record OpeningStockOutlet(string OutletCode, int Rows, long Units, decimal Value, int NotReceived);

/// <summary>A parsed file: a file-level error (bad header, unreadable CSV, too many rows) leaves no rows.</summary>
public sealed class OpeningStockFile(string name, string? error, IReadOnlyList<OpeningStockRow> rows)
{
    public string Name { get; } = name;
    public string? Error { get; } = error;
    public IReadOnlyList<OpeningStockRow> Rows { get; } = rows;

    /// <summary>Totals per outlet code as the file writes it, after <see cref="OpeningStockImport.CheckAsync"/>.</summary>
    public IReadOnlyList<OpeningStockOutlet> Outlets { get; internal set; } = [];

    public int Count(OpeningStockRowStatus status) => Rows.Count(r => r.Status == status);

    public int Ready => Count(OpeningStockRowStatus.Ready);
}

public sealed record OpeningStockProgress(string Phase, int Done, int Total);

/// <summary>One receipt an import wrote: one per outlet.</summary>
public sealed record OpeningStockReceipt(Guid ReceiptId, string OutletCode, string Reference, int Rows, long Units, decimal Value);

/// <summary>
/// Opening stock from a CSV (issue 16): columns outletCode, sku or barcode, lotNumber, expiryDate (yyyy-MM-dd), quantity,
/// unitCost (invariant, 12.50), with a header in any order (also outlet, lot, expiry, cost); comma or semicolon separated.
/// As the product import: <see cref="Parse"/> then <see cref="CheckAsync"/> give every row its fate before anything is
/// written, and the import takes the ready rows only. Unlike it, the import is ONE transaction: one receipt per outlet,
/// all or none, so a refused import (the stock changed since the preview) leaves nothing half-received to untangle.
/// Each (outlet, product, lot, expiry) is opening stock once: a later row of the file, or a row an earlier opening stock
/// import received, is not received again, so importing the same file twice cannot double the stock.
/// </summary>
public sealed class OpeningStockImport(BackOfficeDb db, TimeProvider clock, IStockChangeNotifier notifier)
{
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxRows = 100_000;
    /// <summary>What every opening stock receipt's reference starts with (then the file name): how earlier imports are found.</summary>
    public const string ReferencePrefix = "Opening stock: ";

    public static readonly string[] Columns = ["outletCode", "sku", "barcode", "lotNumber", "expiryDate", "quantity", "unitCost"];
    private static readonly string[] RequiredColumns = ["outletCode", "quantity", "unitCost"];
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["outlet"] = "outletCode", ["lot"] = "lotNumber", ["expiry"] = "expiryDate", ["cost"] = "unitCost", ["unit cost"] = "unitCost", ["qty"] = "quantity",
    };

    /// <summary>A file with the header and one example row, for the page's template link.</summary>
    public static string Template => string.Join(",", Columns) + "\nSHOP-1,PARA-500-16,,L2391,2027-03-31,24,1.20\n";

    /// <summary>Reads the file and applies the rules that need no database: required fields and their formats.</summary>
    public static OpeningStockFile Parse(TextReader text, string fileName, IProgress<OpeningStockProgress>? progress = null)
    {
        var rows = new List<OpeningStockRow>();
        using var csv = CsvTable.Open(text, Columns, RequiredColumns, separator: null, Aliases);
        if (csv.Error is null && !csv.Has("sku") && !csv.Has("barcode"))
            return new OpeningStockFile(fileName, $"The header needs a sku or a barcode column (or both). The first line must be the header ({string.Join(",", Columns)}).", []);
        while (csv.Read())
        {
            if (rows.Count == MaxRows) return new OpeningStockFile(fileName, $"The file has more than {MaxRows:N0} rows: split it.", []);
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            if (csv.FieldCountError is { } length) errors.TryAdd("row", length);
            var outlet = csv["outletCode"];
            if (outlet is null) errors.TryAdd("outletCode", "outletCode is required.");
            var sku = csv["sku"];
            var barcode = csv["barcode"];
            if (sku is null && barcode is null) errors.TryAdd("sku", "Give the product's sku or barcode.");
            DateOnly? expiry = null;
            if (csv["expiryDate"] is { } e)
            {
                if (DateOnly.TryParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) expiry = d;
                else errors.TryAdd("expiryDate", $"expiryDate '{e}' is not a date as yyyy-MM-dd.");
            }
            int? quantity = null;
            if (csv["quantity"] is not { } q) errors.TryAdd("quantity", "quantity is required.");
            else if (int.TryParse(q, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) quantity = n;
            else errors.TryAdd("quantity", $"quantity '{q}' is not a whole number.");
            decimal? cost = null;
            if (csv["unitCost"] is not { } c) errors.TryAdd("unitCost", "unitCost is required.");
            else if (decimal.TryParse(c, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m)) cost = m;
            else errors.TryAdd("unitCost", $"unitCost '{c}' is not a number (use a dot for decimals: 12.50).");
            var lot = csv["lotNumber"];
            // The receipt rules a line alone decides; a value that did not parse is already explained.
            foreach (var (field, message) in ReceiptRules.Line(quantity ?? 1, cost ?? 0, lot)) errors.TryAdd(field, message);
            rows.Add(new OpeningStockRow(csv.Line, errors)
            {
                OutletCode = outlet, Sku = sku, Barcode = barcode, LotNumber = lot, ExpiryDate = expiry, Quantity = quantity, UnitCost = cost,
            });
            if (rows.Count % 5000 == 0) progress?.Report(new OpeningStockProgress("Reading the file", rows.Count, 0));
        }
        if (csv.Error is not null) return new OpeningStockFile(fileName, csv.Error, []);
        progress?.Report(new OpeningStockProgress("Reading the file", rows.Count, rows.Count));
        return new OpeningStockFile(fileName, null, rows);
    }

    /// <summary>
    /// Gives every row its fate against the outlets, the catalog and earlier opening stock, in at most four queries
    /// whatever the file's size. The import checks again, under the stock write lock.
    /// </summary>
    public Task CheckAsync(OpeningStockFile file, CancellationToken ct = default) => CheckAsync(file, clock.GetUtcNow(), ct);

    private async Task CheckAsync(OpeningStockFile file, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var row in file.Rows) row.Reset();
        var codes = file.Rows.Select(r => r.OutletCode).OfType<string>().Distinct().ToList();
        var skus = file.Rows.Select(r => r.Sku).OfType<string>().Distinct().ToList();
        // Every row's barcode, by its key: a row with a sku and a barcode is checked against all of the sku's barcodes.
        var barcodes = file.Rows.Select(r => r.Barcode).OfType<string>().Select(Catalog.ProductBarcodes.KeyOf).Distinct().ToList();
        // EF.Parameter: one JSON/array parameter per list, not one per value (SQL Server takes at most 2,100).
        var outlets = await db.Outlets.Where(o => EF.Parameter(codes).Contains(o.Code))
            .Select(o => new { o.Id, o.Code, o.TimeZoneId, o.ClosedAt }).ToDictionaryAsync(o => o.Code, StringComparer.Ordinal, ct);
        var products = await db.Products.Where(p => EF.Parameter(skus).Contains(p.Sku) || p.Barcodes.Any(b => EF.Parameter(barcodes).Contains(b.Key)))
            .Select(p => new { p.Id, p.Sku, p.Barcode, p.TracksExpiry }).ToListAsync(ct);
        var found = products.Select(p => p.Id).ToList();
        var keys = await db.ProductBarcodes.Where(b => EF.Parameter(found).Contains(b.ProductId) && EF.Parameter(barcodes).Contains(b.Key))
            .Select(b => new { b.Key, b.ProductId }).ToListAsync(ct);
        var bySku = products.ToDictionary(p => p.Sku, StringComparer.Ordinal);
        var byId = products.ToDictionary(p => p.Id);
        var byBarcode = keys.ToDictionary(k => k.Key, k => byId[k.ProductId], StringComparer.Ordinal);
        var today = outlets.Values.ToDictionary(o => o.Id, o => ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(o.TimeZoneId), now));

        foreach (var row in file.Rows)
        {
            var outlet = row.OutletCode is { } code ? outlets.GetValueOrDefault(code) : null;
            if (row.OutletCode is not null && ReceiptRules.Outlet(row.OutletCode, outlet is not null, outlet?.ClosedAt) is { } refused) row.Fail("outletCode", refused);
            var product = row.Sku is { } sku ? bySku.GetValueOrDefault(sku) : row.Barcode is { } b ? byBarcode.GetValueOrDefault(Catalog.ProductBarcodes.KeyOf(b)) : null;
            if (product is null)
            {
                if (row.Sku is not null) row.Fail("sku", $"Unknown sku '{row.Sku}'.");
                else if (row.Barcode is not null) row.Fail("barcode", $"Unknown barcode '{row.Barcode}'.");
            }
            else
            {
                if (row.Sku is not null && row.Barcode is not null && byBarcode.GetValueOrDefault(Catalog.ProductBarcodes.KeyOf(row.Barcode))?.Id != product.Id)
                    row.Fail("barcode", $"The barcode '{row.Barcode}' is not {product.Sku}'s barcode ({product.Barcode ?? "it has none"}).");
                var day = outlet is null ? DateOnly.MinValue : today[outlet.Id];
                foreach (var (field, message) in ReceiptRules.Expiry(product.Sku, product.TracksExpiry, row.ExpiryDate, day)) row.Fail(field, message);
            }
            row.Found(outlet?.Id ?? 0, product?.Id ?? 0, product?.Sku);
        }

        var first = new Dictionary<(int, int, string?, DateOnly?), int>();
        foreach (var row in file.Rows.Where(r => r.OutletId != 0 && r.ProductId != 0))
            if (!first.TryAdd(row.Key, row.Line)) row.Repeats(first[row.Key]);

        var before = await ReceivedBeforeAsync(outlets.Values.Select(o => o.Id).ToList(), ct);
        foreach (var row in file.Rows)
            if (before.TryGetValue(row.Key, out var reference)) row.WasReceivedIn(reference);

        file.Outlets = file.Rows.Where(r => r.OutletCode is not null).GroupBy(r => r.OutletCode!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var ready = g.Where(r => r.Status == OpeningStockRowStatus.Ready).ToList();
                return new OpeningStockOutlet(g.Key, ready.Count, ready.Sum(r => (long)r.Quantity!.Value), ready.Sum(r => r.Value), g.Count() - ready.Count);
            }).ToList();
    }

    /// <summary>What earlier opening stock imports received at these outlets, by (outlet, product, lot, expiry): the receipts, then their movements.</summary>
    private async Task<Dictionary<(int, int, string?, DateOnly?), string>> ReceivedBeforeAsync(List<int> outletIds, CancellationToken ct)
    {
        var receipts = await db.Receipts.Where(r => EF.Parameter(outletIds).Contains(r.OutletId) && r.Reference != null && r.Reference.StartsWith(ReferencePrefix))
            .Select(r => new { r.Id, r.Reference, r.ReceivedAt }).ToListAsync(ct);
        if (receipts.Count == 0) return [];
        var references = receipts.ToDictionary(r => MovementReference.Receipt(r.Id).ToString(), r => r.Reference!);
        var keys = references.Keys.ToList();
        // A receipt's movements are written at its time: the range keeps the read on the (outlet, time) index.
        var from = receipts.Min(r => r.ReceivedAt);
        var to = receipts.Max(r => r.ReceivedAt);
        var received = await db.Movements
            .Where(m => m.Kind == MovementKind.Receipt && EF.Parameter(outletIds).Contains(m.OutletId) && m.CreatedAt >= from && m.CreatedAt <= to
                        && EF.Parameter(keys).Contains(m.Reference!))
            .Select(m => new { m.OutletId, m.ProductId, m.Batch.LotNumber, m.Batch.ExpiryDate, m.Reference }).ToListAsync(ct);
        var before = new Dictionary<(int, int, string?, DateOnly?), string>();
        foreach (var m in received) before.TryAdd((m.OutletId, m.ProductId, m.LotNumber, m.ExpiryDate), references[m.Reference!]);
        return before;
    }

    /// <summary>
    /// Receives the rows the preview found ready: one receipt per outlet, in one transaction. Checked again under the
    /// stock write lock (two imports of one file at once take turns, and the second finds the rows received); when a row
    /// the preview found ready no longer is, nothing is written and the rows show why.
    /// </summary>
    public async Task<IReadOnlyList<OpeningStockReceipt>> ImportAsync(OpeningStockFile file, string? userName,
        IProgress<OpeningStockProgress>? progress = null, CancellationToken ct = default)
    {
        if (file.Error is not null) throw Refused(file.Error);
        var previewed = file.Rows.Where(r => r.Status == OpeningStockRowStatus.Ready).Select(r => r.Line).ToHashSet();
        if (previewed.Count == 0) throw Refused("No row of the file can be received: fix the rows with errors, or choose a file not imported before.");
        progress?.Report(new OpeningStockProgress("Receiving", 0, previewed.Count));

        var inventory = new InventoryService(db, clock, notifier);
        using var activity = BackOfficeTelemetry.StartStockWrite("opening-stock")?.SetTag("backoffice.lines", previewed.Count);
        var (receipts, touched) = await db.RetryingStockWriteAsync(async c =>
        {
            var now = clock.GetUtcNow();
            await using var tx = await db.BeginStockWriteAsync(c);
            await db.TakeJobLockAsync("opening-stock-import", c);
            await CheckAsync(file, now, c);
            var ready = file.Rows.Where(r => r.Status == OpeningStockRowStatus.Ready && previewed.Contains(r.Line)).ToList();
            if (ready.Count < previewed.Count)
            {
                var lost = file.Rows.First(r => previewed.Contains(r.Line) && r.Status != OpeningStockRowStatus.Ready);
                throw Refused($"{previewed.Count - ready.Count} row(s) the preview found ready cannot be received now (line {lost.Line}: {Why(lost)}). Nothing was received: check the rows again.");
            }
            var reference = ReferencePrefix + (file.Name.Length > 200 ? file.Name[..200] : file.Name);
            var plans = ready.GroupBy(r => (r.OutletId, r.OutletCode)).Select(g => (g.Key.OutletCode, Rows: g.ToList(), Receipt: new InventoryService.ReceiptToWrite(Guid.NewGuid(), g.Key.OutletId, reference,
                g.Select(r => new InventoryService.LineToReceive(r.ProductId, r.ProductSku!, r.LotNumber, r.ExpiryDate, r.Quantity!.Value, r.UnitCost!.Value)).ToList()))).ToList();
            await inventory.WriteReceiptsAsync(plans.Select(p => p.Receipt).ToList(), userName, now.UtcDateTime, c);
            await tx.CommitAsync(c);
            var written = plans.Select(p => new OpeningStockReceipt(p.Receipt.ReceiptId, p.OutletCode!, reference, p.Rows.Count,
                p.Rows.Sum(r => (long)r.Quantity!.Value), p.Rows.Sum(r => r.Value))).ToList();
            return (written, ready.Select(r => (r.OutletId, r.ProductId)).Distinct().ToList());
        }, ct);
        progress?.Report(new OpeningStockProgress("Receiving", previewed.Count, previewed.Count));
        await inventory.NotifyAsync(touched, ct);
        return receipts;
    }

    /// <summary>A row's fate in words, for the page and for a refused import.</summary>
    public static string Why(OpeningStockRow row) => row.Status switch
    {
        OpeningStockRowStatus.Ready => "will be received",
        OpeningStockRowStatus.Duplicate => $"same outlet, product, lot and expiry as line {row.DuplicateOfLine}: received once, from that line",
        OpeningStockRowStatus.AlreadyReceived => $"received already, in '{row.ReceivedIn}'",
        _ => string.Join(" ", row.Errors.Select(e => $"{e.Key}: {e.Value}")),
    };

    private static ValidationFailedException Refused(string message) =>
        new("The opening stock was not received.", new Dictionary<string, string[]> { ["file"] = [message] });
}
