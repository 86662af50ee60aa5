using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Lots;

/// <summary>What a GS1 element string on a receipt line stands for: the product of its GTIN, its lot and its expiry.</summary>
public sealed record Gs1Line(string Sku, string? LotNumber, DateOnly? ExpiryDate);

/// <summary>Receipt lines given as a scanned GS1 string (api.md: <c>"gs1"</c> instead of sku, lotNumber and expiryDate).</summary>
public static class Gs1Lines
{
    /// <summary>
    /// Reads each line's GS1 string (null: the line has none) and finds its product by GTIN-14, in one query for all lines.
    /// A string that cannot be read, has no GTIN, or names no product adds an error under <c>lines[i].gs1</c>.
    /// </summary>
    public static async Task<Dictionary<int, Gs1Line>> ReadAsync(BackOfficeDb db, IReadOnlyList<string?> scans, DateOnly today, Problems problems,
        CancellationToken ct = default)
    {
        var read = new Dictionary<int, Gs1Scan>();
        for (var i = 0; i < scans.Count; i++)
        {
            if (scans[i] is not { } text) continue;
            var field = $"lines[{i}].gs1";
            var scan = Gs1.Parse(text, today);
            if (scan.Kind == ScanKind.Error) problems.Add(field, scan.Message!);
            else if (scan.Kind == ScanKind.Plain)
                problems.Add(field, "gs1 is not a GS1 element string, such as (01)05012345678900(17)270331(10)L2391: give a plain barcode's product as sku.");
            else if (scan.Gtin14 is null) problems.Add(field, "This GS1 code has no product number (GTIN, field 01).");
            else read[i] = scan;
        }
        var gtins = read.Values.Select(s => s.Gtin14!).Distinct().ToList();
        var skus = gtins.Count == 0 ? [] : await db.ProductBarcodes.Where(b => EF.Parameter(gtins).Contains(b.Key))
            .Select(b => new { b.Key, b.Product.Sku }).ToDictionaryAsync(b => b.Key, b => b.Sku, StringComparer.Ordinal, ct);
        var lines = new Dictionary<int, Gs1Line>();
        foreach (var (i, scan) in read)
        {
            if (skus.TryGetValue(scan.Gtin14!, out var sku)) lines[i] = new Gs1Line(sku, scan.Lot, scan.Expiry);
            else problems.Add($"lines[{i}].gs1", $"No product has the GTIN {scan.Gtin14}.");
        }
        return lines;
    }
}
