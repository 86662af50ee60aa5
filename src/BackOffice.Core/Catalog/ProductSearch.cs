using System.Linq.Expressions;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Catalog;

/// <summary>A product as a picker offers it.</summary>
public sealed record ProductChoice(string Sku, string Name, string? Barcode, bool Active);

/// <summary>
/// Finding products by what people type or scan, in one place: every picker, search box, report filter and code field
/// goes through here. A barcode matches through its GTIN-14 key (<see cref="ProductBarcodes.KeyOf"/>), any of a
/// product's barcodes; sku and name match by containing the text, ignoring case.
/// </summary>
public static class ProductSearch
{
    /// <summary>How many products a picker offers at most.</summary>
    public const int MaxChoices = 20;

    /// <summary>The product whose sku is the code, or one of whose barcodes is it (compared by key).</summary>
    public static IQueryable<Product> WithCode(this IQueryable<Product> products, string code)
    {
        var c = code.Trim();
        var key = ProductBarcodes.KeyOf(c);
        return products.Where(p => p.Sku == c || p.Barcodes.Any(b => b.Key == key));
    }

    /// <summary>
    /// Any barcode exactly (by key), or sku or name containing the text, ignoring case (LIKE, with the text's wildcards
    /// escaped; ILIKE on PostgreSQL, whose LIKE minds case where SQLite's and SQL Server's default collation do not).
    /// </summary>
    public static Expression<Func<Product, bool>> Matches(BackOfficeDb db, string search)
    {
        var text = search.Trim();
        var key = ProductBarcodes.KeyOf(text);
        var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace("[", "\\[") + "%";
        if (db.Database.IsNpgsql())
            return p => p.Barcodes.Any(b => b.Key == key) || EF.Functions.ILike(p.Sku, pattern, "\\") || EF.Functions.ILike(p.Name, pattern, "\\");
        return p => p.Barcodes.Any(b => b.Key == key) || EF.Functions.Like(p.Sku, pattern, "\\") || EF.Functions.Like(p.Name, pattern, "\\");
    }

    /// <summary>
    /// What a picker offers as the text is typed: one query, at most <see cref="MaxChoices"/> products, the one the text
    /// names exactly (sku or barcode) first, then by name. Inactive products only when asked.
    /// </summary>
    public static async Task<IReadOnlyList<ProductChoice>> ChoicesAsync(BackOfficeDb db, string? text, bool includeInactive = false, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var t = text.Trim();
        var key = ProductBarcodes.KeyOf(t);
        var products = db.Products.Where(Matches(db, t));
        if (!includeInactive) products = products.Where(p => p.Active);
        return await products
            .OrderBy(p => p.Sku == t || p.Barcodes.Any(b => b.Key == key) ? 0 : 1).ThenBy(p => p.Name).ThenBy(p => p.Sku)
            .Take(MaxChoices)
            .Select(p => new ProductChoice(p.Sku, p.Name, p.Barcode, p.Active))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The sku each code stands for, in one query whatever the number of codes: a sku as itself, a barcode (any of a
    /// product's, compared by key) as its product's sku. Codes that name nothing are left out.
    /// </summary>
    public static async Task<Dictionary<string, string>> SkusOfAsync(BackOfficeDb db, IEnumerable<string> codes, CancellationToken ct = default)
    {
        var wanted = codes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var keys = wanted.Select(ProductBarcodes.KeyOf).Distinct(StringComparer.Ordinal).ToList();
        // EF.Parameter: one list parameter, not one per value (SQL Server takes at most 2,100).
        var found = await db.Products.Where(p => EF.Parameter(wanted).Contains(p.Sku))
            .Select(p => new { Code = p.Sku, p.Sku, IsBarcode = false })
            .Concat(db.ProductBarcodes.Where(b => EF.Parameter(keys).Contains(b.Key)).Select(b => new { Code = b.Key, b.Product.Sku, IsBarcode = true }))
            .ToListAsync(ct);
        var skus = found.Where(f => !f.IsBarcode).Select(f => f.Sku).ToHashSet(StringComparer.Ordinal);
        var byKey = found.Where(f => f.IsBarcode).ToDictionary(f => f.Code, f => f.Sku, StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in wanted)
        {
            // A sku wins over a barcode that happens to be spelled the same.
            if (skus.Contains(code)) result[code] = code;
            else if (byKey.TryGetValue(ProductBarcodes.KeyOf(code), out var sku)) result[code] = sku;
        }
        return result;
    }
}
