using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Lots;

/// <summary>A pack as its GS1 code describes it: its product (found by GTIN), its lot and its expiry.</summary>
public sealed record Pack(string Sku, string? LotNumber, DateOnly? ExpiryDate);

/// <summary>What a scanned GS1 code names: a pack, or why it names none.</summary>
public sealed record PackScan(Pack? Pack, string? Error);

/// <summary>The one rule for every field and API line that takes a pack's GS1 code (receiving, counting, recalls).</summary>
public static class Packs
{
    public const string NoGtin = "This GS1 code has no product number (GTIN, field 01): scan the pack's own barcode.";

    public static string NoProduct(string gtin14) => $"No product has the barcode {gtin14}.";

    /// <summary>
    /// Reads each code: null where it is no GS1 element string (a plain barcode or SKU, or no code), else the pack it names
    /// or the reason it names none (unreadable, no GTIN, a GTIN no product has). Products are found by GTIN-14 in one query
    /// for all codes.
    /// </summary>
    public static async Task<PackScan?[]> ReadAsync(BackOfficeDb db, IReadOnlyList<string?> codes, DateOnly today, CancellationToken ct = default)
    {
        var scans = codes.Select(c => string.IsNullOrWhiteSpace(c) ? null : Gs1.Parse(c, today)).ToList();
        var gtins = scans.Where(s => s is { Kind: ScanKind.Gs1, Gtin14: not null }).Select(s => s!.Gtin14!).Distinct().ToList();
        var skus = gtins.Count == 0 ? new Dictionary<string, string>() : await db.ProductBarcodes.Where(b => EF.Parameter(gtins).Contains(b.Key))
            .Select(b => new { b.Key, b.Product.Sku }).ToDictionaryAsync(b => b.Key, b => b.Sku, StringComparer.Ordinal, ct);
        return scans.Select(s => s switch
        {
            null or { Kind: ScanKind.Plain } => null,
            { Kind: ScanKind.Error } => new PackScan(null, s.Message),
            { Gtin14: null } => new PackScan(null, NoGtin),
            _ => skus.TryGetValue(s.Gtin14, out var sku) ? new PackScan(new Pack(sku, s.Lot, s.Expiry), null) : new PackScan(null, NoProduct(s.Gtin14)),
        }).ToArray();
    }

    /// <summary>One code, as <see cref="ReadAsync(BackOfficeDb, IReadOnlyList{string?}, DateOnly, CancellationToken)"/> reads it.</summary>
    public static async Task<PackScan?> ReadAsync(BackOfficeDb db, string? code, DateOnly today, CancellationToken ct = default) =>
        (await ReadAsync(db, [code], today, ct))[0];

    /// <summary>
    /// Receipt lines given as a GS1 string (api.md: <c>"gs1"</c> instead of sku, lotNumber and expiryDate): the pack of each
    /// line that has one (null: it has none); a string that names no pack adds its reason under <c>lines[i].gs1</c>.
    /// </summary>
    public static async Task<Dictionary<int, Pack>> ReadReceiptLinesAsync(BackOfficeDb db, IReadOnlyList<string?> gs1, DateOnly today, Problems problems,
        CancellationToken ct = default)
    {
        var read = await ReadAsync(db, gs1, today, ct);
        var packs = new Dictionary<int, Pack>();
        for (var i = 0; i < gs1.Count; i++)
        {
            if (gs1[i] is null) continue;
            var field = $"lines[{i}].gs1";
            if (read[i] is not { } scan)
                problems.Add(field, "gs1 is not a GS1 element string, such as (01)05012345678900(17)270331(10)L2391: give a plain barcode's product as sku.");
            else if (scan.Pack is { } pack) packs[i] = pack;
            else problems.Add(field, scan.Error!);
        }
        return packs;
    }
}
