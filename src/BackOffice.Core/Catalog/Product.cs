namespace BackOffice.Core.Catalog;

public class Product
{
    public int Id { get; set; }
    public required string Sku { get; set; }
    /// <summary>EAN-13 or other scannable code; unique among products when present.</summary>
    public string? Barcode { get; set; }
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
