using BackOffice.Core.Lots;

namespace BackOffice.Core.Catalog;

/// <summary>
/// One of a product's barcodes (the primary <see cref="Product.Barcode"/> among them). <see cref="Key"/> is what every lookup
/// compares: the GTIN-14 of a GTIN, so <c>05012345678900</c> and <c>5012345678900</c> are one barcode; any other code as it is.
/// The key is unique: no two products share a barcode.
/// </summary>
public class ProductBarcode
{
    public int ProductId { get; set; }
    public Product Product { get; set; } = null!;
    /// <summary>As entered (shown back as typed, e.g. the 13 digits of an EAN-13).</summary>
    public required string Code { get; set; }
    public required string Key { get; set; }

    public static ProductBarcode For(string code) => new() { Code = code.Trim(), Key = ProductBarcodes.KeyOf(code) };
}

/// <summary>The barcode rules, in one place: the key lookups compare, what a valid barcode is, and how a list is written.</summary>
public static class ProductBarcodes
{
    public const int MaxLength = 32;

    /// <summary>A product has at most this many barcodes (the primary included).</summary>
    public const int MaxPerProduct = 20;

    /// <summary>The lookup key of a code: its GTIN-14 when it is a valid GTIN, else the code itself (trimmed).</summary>
    public static string KeyOf(string code) => Gtin.ToGtin14(code) ?? code.Trim();

    /// <summary>
    /// What is wrong with a barcode, or null. A code of 8, 12, 13 or 14 digits is a GTIN and must carry its check digit:
    /// a mistyped one would never match a scan.
    /// </summary>
    public static string? Problem(string code)
    {
        var c = code.Trim();
        if (c.Length > MaxLength) return $"A barcode is at most {MaxLength} characters ('{c[..12]}…').";
        if (c.Any(char.IsWhiteSpace) || c.Contains('|')) return $"'{c}' holds a space or '|': give each barcode on its own.";
        if (c.Length is 8 or 12 or 13 or 14 && c.All(char.IsAsciiDigit) && Gtin.ToGtin14(c) is null)
            return $"The barcode '{c}' has a wrong check digit (a GTIN's last digit checks the others).";
        return null;
    }

    /// <summary>The codes of a list typed or imported as one text: separated by spaces, new lines, commas or '|'.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        (text ?? "").Split([' ', '\t', '\r', '\n', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every barcode of a product, primary first then the others as listed, one per key.</summary>
    public static List<string> All(string? primary, IEnumerable<string> others)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<string>();
        foreach (var code in (string.IsNullOrWhiteSpace(primary) ? [] : new[] { primary.Trim() }).Concat(others.Select(o => o.Trim()).Where(o => o.Length > 0)))
            if (seen.Add(KeyOf(code))) all.Add(code);
        return all;
    }
}
