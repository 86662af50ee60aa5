namespace BackOffice.Core.Catalog;

public class Product
{
    public int Id { get; set; }
    public required string Sku { get; set; }
    /// <summary>The primary barcode (EAN-13 or other scannable code), shown first; it is also one of <see cref="Barcodes"/>.</summary>
    public string? Barcode { get; set; }
    /// <summary>Every barcode of the product, the primary included: what scans and searches match (<see cref="ProductBarcodes"/>).</summary>
    public List<ProductBarcode> Barcodes { get; set; } = [];
    public required string Name { get; set; }
    /// <summary>The shelf price in the chain's base currency (<c>BackOffice:BaseCurrency</c>); other currencies in <see cref="Prices"/>.</summary>
    public decimal Price { get; set; }
    /// <summary>Lower-case tax category, e.g. "standard" or "medicines": each outlet gives it a rate (<see cref="Outlets.OutletTaxRate"/>).</summary>
    public string TaxCategory { get; set; } = TaxCategories.Standard;
    public List<ProductPrice> Prices { get; set; } = [];
    /// <summary>At or below this available quantity an outlet is low on the product.</summary>
    public int ReorderLevel { get; set; }
    public bool TracksExpiry { get; set; } = true;
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Sets the primary barcode and the others (null keeps the others as they are): rows of kept keys stay, so a save
    /// writes only what changed.
    /// </summary>
    public void SetBarcodes(string? primary, IEnumerable<string>? others)
    {
        var previous = Barcode is null ? null : ProductBarcodes.KeyOf(Barcode);
        others ??= Barcodes.Where(b => b.Key != previous).Select(b => b.Code).ToList();
        Barcode = string.IsNullOrWhiteSpace(primary) ? null : primary.Trim();
        var wanted = ProductBarcodes.All(Barcode, others).ToDictionary(ProductBarcodes.KeyOf, StringComparer.Ordinal);
        Barcodes.RemoveAll(b => !wanted.ContainsKey(b.Key));
        foreach (var (key, code) in wanted)
        {
            if (Barcodes.FirstOrDefault(b => b.Key == key) is { } held) held.Code = code;
            else Barcodes.Add(ProductBarcode.For(code));
        }
    }

    /// <summary>Every barcode, primary first, as entered.</summary>
    public List<string> AllBarcodes() =>
        ProductBarcodes.All(Barcode, Barcodes.Select(b => b.Code).Order(StringComparer.Ordinal));
}

/// <summary>The shelf price of a product in one currency other than the base currency.</summary>
public class ProductPrice
{
    public int ProductId { get; set; }
    /// <summary>ISO 4217 code, e.g. "EUR".</summary>
    public required string Currency { get; set; }
    public decimal Price { get; set; }
}

/// <summary>Tax category names, as products and outlets' rates write them: one rule for both.</summary>
public static class TaxCategories
{
    /// <summary>Every product has a category; an outlet's rate for "standard" also covers categories it gives no rate of its own.</summary>
    public const string Standard = "standard";
    public const int MaxLength = 64;

    /// <summary>Trimmed and lower-case ("Medicines " and "medicines" are one category).</summary>
    public static string Canonical(string? category) => category?.Trim().ToLowerInvariant() ?? "";

    /// <summary>What is wrong with a canonical category name, or null.</summary>
    public static string? Problem(string category) =>
        category.Length == 0 ? "Name the tax category, e.g. \"medicines\"."
        : category.Length > MaxLength ? $"A category is at most {MaxLength} characters."
        : null;
}
