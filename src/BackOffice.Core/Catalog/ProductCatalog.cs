using System.Data.Common;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Catalog;

/// <summary>What an integration (or the back-office) says a product is, keyed by its sku.</summary>
public sealed record ProductDetails(string? Name, string? Barcode, decimal? Price, int? ReorderLevel, bool? TracksExpiry, bool? Active);

public sealed record ProductView(string Sku, string? Barcode, string Name, decimal Price, int ReorderLevel, bool TracksExpiry, bool Active, DateTime UpdatedAt);

public sealed record ProductSaved(ProductView Product, bool Created);

/// <summary>Another product already has this barcode (barcodes identify one product at the counter).</summary>
public sealed class BarcodeInUseException(string barcode, string otherSku)
    : Exception($"Barcode {barcode} belongs to product '{otherSku}'.")
{
    public string Barcode { get; } = barcode;
    public string OtherSku { get; } = otherSku;
}

/// <summary>Creates or updates products by sku.</summary>
public sealed class ProductCatalog(BackOfficeDb db, TimeProvider clock)
{
    public const int MaxSkuLength = 64;
    public const int MaxBarcodeLength = 32;
    public const int MaxNameLength = 200;

    /// <summary>Creates the product with this sku, or replaces its details. Barcodes stay unique; bad input changes nothing.</summary>
    public async Task<ProductSaved> SaveAsync(string sku, ProductDetails details, CancellationToken ct = default)
    {
        sku = sku?.Trim() ?? "";
        var barcode = string.IsNullOrWhiteSpace(details.Barcode) ? null : details.Barcode.Trim();
        var problems = new Problems();
        if (sku.Length == 0) problems.Add("sku", "sku is required.");
        else if (sku.Length > MaxSkuLength) problems.Add("sku", $"sku is at most {MaxSkuLength} characters.");
        if (string.IsNullOrWhiteSpace(details.Name)) problems.Add("name", "name is required.");
        else if (details.Name.Trim().Length > MaxNameLength) problems.Add("name", $"name is at most {MaxNameLength} characters.");
        if (barcode is { Length: > MaxBarcodeLength }) problems.Add("barcode", $"barcode is at most {MaxBarcodeLength} characters.");
        if (details.Price is null) problems.Add("price", "price is required.");
        else if (details.Price < 0) problems.Add("price", "price must not be negative.");
        else if (!Problems.HasAtMostTwoDecimals(details.Price.Value)) problems.Add("price", "price has more than 2 decimals.");
        if (details.ReorderLevel < 0) problems.Add("reorderLevel", "reorderLevel must not be negative.");
        problems.ThrowIfAny("The product is not valid.");

        var now = clock.GetUtcNow().UtcDateTime;
        Product product;
        var created = false;
        try
        {
            // The stock-write transaction: on SQLite the barcode check and the write cannot be split by another writer.
            await using var tx = await db.BeginStockWriteAsync(ct);
            // One read: the product itself and whichever other product holds the barcode.
            var found = await db.Products.Where(p => p.Sku == sku || (barcode != null && p.Barcode == barcode)).ToListAsync(ct);
            if (found.FirstOrDefault(p => p.Sku != sku) is { } other) throw new BarcodeInUseException(barcode!, other.Sku);
            var existing = found.FirstOrDefault(p => p.Sku == sku);
            created = existing is null;
            product = existing ?? db.Products.Add(new Product { Sku = sku, Name = "", CreatedAt = now }).Entity;
            product.Name = details.Name!.Trim();
            product.Barcode = barcode;
            product.Price = Sales.Money.Round(details.Price!.Value);
            product.ReorderLevel = details.ReorderLevel ?? (created ? 0 : product.ReorderLevel);
            product.TracksExpiry = details.TracksExpiry ?? (created || product.TracksExpiry);
            product.Active = details.Active ?? (created || product.Active);
            // UpdatedAt feeds the tills' catalog version (ETag): it moves on every save, also within one clock tick.
            product.UpdatedAt = !created && product.UpdatedAt >= now ? product.UpdatedAt.AddTicks(1) : now;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is DbException)
        {
            // Another server took the sku or the barcode between the read and the write.
            db.ChangeTracker.Clear();
            if (barcode is not null && await db.Products.Where(p => p.Barcode == barcode && p.Sku != sku).Select(p => p.Sku).FirstOrDefaultAsync(ct) is { } holder)
                throw new BarcodeInUseException(barcode, holder);
            // The sku was created meanwhile: this save becomes an update of it (once: an update does not take this path).
            if (created && await db.Products.AnyAsync(p => p.Sku == sku, ct)) return await SaveAsync(sku, details, ct);
            throw;
        }
        return new ProductSaved(View(product), created);
    }

    public static ProductView View(Product p) =>
        new(p.Sku, p.Barcode, p.Name, Sales.Money.Round(p.Price), p.ReorderLevel, p.TracksExpiry, p.Active, DateTime.SpecifyKind(p.UpdatedAt, DateTimeKind.Utc));
}
