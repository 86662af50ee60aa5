namespace BackOffice.Core.Catalog;

public class Product
{
    public int Id { get; set; }
    public required string Sku { get; set; }
    /// <summary>EAN-13 or other scannable code; unique among products when present.</summary>
    public string? Barcode { get; set; }
    public required string Name { get; set; }
    public decimal Price { get; set; }
    /// <summary>At or below this available quantity an outlet is low on the product.</summary>
    public int ReorderLevel { get; set; }
    public bool TracksExpiry { get; set; } = true;
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
