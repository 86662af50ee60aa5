using System.Data.Common;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Catalog;

/// <summary>What the create/edit form sends. <see cref="Id"/> null creates a product.</summary>
/// <paramref name="Barcodes"/> are the barcodes other than the primary one; null keeps them.
public sealed record ProductInput(int? Id, string Sku, string? Barcode, string Name, decimal Price, int ReorderLevel, bool TracksExpiry, bool Active = true,
    string? TaxCategory = null, IReadOnlyDictionary<string, decimal>? Prices = null, IReadOnlyList<string>? Barcodes = null);

/// <summary>The product fields a form or a detail page shows; <paramref name="Barcodes"/> lists every barcode, the primary first.</summary>
public sealed record ProductDetails(int Id, string Sku, string? Barcode, string Name, decimal Price, int ReorderLevel, bool TracksExpiry, bool Active,
    string TaxCategory, IReadOnlyDictionary<string, decimal> Prices, IReadOnlyList<string> Barcodes);

/// <summary>What an integration says a product is, keyed by its sku (PUT /api/products/{sku}); null keeps or defaults a field.</summary>
/// <paramref name="Prices"/> are the prices in other currencies than the base one (ISO 4217 code → price); given, they replace the product's.
/// <paramref name="Barcodes"/>, given, replace the barcodes other than <paramref name="Barcode"/> (listing the primary there too is fine).
public sealed record ProductChanges(string? Name, string? Barcode, decimal? Price, int? ReorderLevel, bool? TracksExpiry, bool? Active,
    string? TaxCategory = null, IReadOnlyDictionary<string, decimal>? Prices = null, IReadOnlyList<string>? Barcodes = null);

/// <summary>A product as the API answers it; <paramref name="Barcodes"/> lists every barcode, the primary first.</summary>
public sealed record ProductView(string Sku, string? Barcode, string Name, decimal Price, int ReorderLevel, bool TracksExpiry, bool Active, DateTime UpdatedAt,
    string TaxCategory, IReadOnlyDictionary<string, decimal> Prices, IReadOnlyList<string> Barcodes);

public sealed record ProductSaved(ProductView Product, bool Created);

/// <summary>Another product already has this barcode (barcodes identify one product at the counter).</summary>
/// <paramref name="field"/> is "barcode" for the primary, "barcodes" for one of the others.
public sealed class BarcodeInUseException(string barcode, string otherSku, string field = "barcode")
    : Exception($"Barcode {barcode} belongs to product '{otherSku}'.")
{
    public string Barcode { get; } = barcode;
    public string OtherSku { get; } = otherSku;
    public string Field { get; } = field;
}

/// <summary>Products: the page query with stock flags, and the writes of the create/edit form and of integrations.</summary>
public sealed class ProductCatalog(BackOfficeDb db, TimeProvider clock, Outlets.BaseCurrency? baseCurrency = null)
{
    private readonly Outlets.BaseCurrency _base = baseCurrency ?? Outlets.BaseCurrency.Gbp;

    public async Task<ProductDetails?> FindAsync(string sku, CancellationToken ct = default)
    {
        var p = await db.Products.AsNoTracking().Include(x => x.Prices).Include(x => x.Barcodes).FirstOrDefaultAsync(x => x.Sku == sku, ct);
        return p is null ? null : new ProductDetails(p.Id, p.Sku, p.Barcode, p.Name, p.Price, p.ReorderLevel, p.TracksExpiry, p.Active, p.TaxCategory, PriceList(p),
            p.AllBarcodes());
    }

    private static Dictionary<string, decimal> PriceList(Product p) =>
        p.Prices.OrderBy(x => x.Currency, StringComparer.Ordinal).ToDictionary(x => x.Currency, x => Sales.Money.Round(x.Price), StringComparer.Ordinal);

    /// <summary>Sets the category (canonical) and, when given, replaces the prices in other currencies.</summary>
    private static void SetTaxAndPrices(Product product, string? taxCategory, IReadOnlyDictionary<string, decimal>? prices, bool isNew)
    {
        if (taxCategory is not null || isNew) product.TaxCategory = taxCategory is null ? TaxCategories.Standard : TaxCategories.Canonical(taxCategory);
        if (prices is null) return;
        var wanted = prices.ToDictionary(x => x.Key.Trim().ToUpperInvariant(), x => Sales.Money.Round(x.Value), StringComparer.Ordinal);
        product.Prices.RemoveAll(x => !wanted.ContainsKey(x.Currency));
        foreach (var (currency, price) in wanted)
        {
            if (product.Prices.FirstOrDefault(x => x.Currency == currency) is { } held) held.Price = price;
            else product.Prices.Add(new ProductPrice { Currency = currency, Price = price });
        }
    }

    /// <summary>Creates or updates a product. Field errors (including a sku or barcode another product has) come back keyed by field.</summary>
    public async Task<int> SaveAsync(ProductInput input, CancellationToken ct = default)
    {
        var sku = input.Sku?.Trim() ?? "";
        var barcode = string.IsNullOrWhiteSpace(input.Barcode) ? null : input.Barcode.Trim();
        var name = input.Name?.Trim() ?? "";
        var problems = new Problems();
        // The same field rules as integrations and the CSV import.
        foreach (var (field, message) in Check(sku, new ProductChanges(name, barcode, input.Price, input.ReorderLevel, input.TracksExpiry, input.Active,
                     input.TaxCategory, input.Prices, input.Barcodes), _base.Code))
            problems.Add(field, message);
        if (!problems.Any)
        {
            var keys = KeysOf(barcode, input.Barcodes);
            if (await db.Products.AnyAsync(p => p.Id != (input.Id ?? 0) && p.Sku == sku, ct)) problems.Add("sku", $"Another product has the sku '{sku}'.");
            var holders = await db.ProductBarcodes.Where(b => b.ProductId != (input.Id ?? 0) && keys.Contains(b.Key))
                .Select(b => new { b.Key, b.Product.Sku }).ToDictionaryAsync(b => b.Key, b => b.Sku, StringComparer.Ordinal, ct);
            foreach (var code in ProductBarcodes.All(barcode, input.Barcodes ?? []))
                if (holders.TryGetValue(ProductBarcodes.KeyOf(code), out var holder))
                    problems.Add(code == barcode ? "barcode" : "barcodes", $"The barcode '{code}' belongs to {holder}.");
        }
        problems.ThrowIfAny("The product is not valid.");

        var now = clock.GetUtcNow().UtcDateTime;
        Product product;
        if (input.Id is { } id)
        {
            product = await db.Products.Include(p => p.Prices).Include(p => p.Barcodes).FirstOrDefaultAsync(p => p.Id == id, ct)
                      ?? throw new ValidationFailedException("Unknown product.", new Dictionary<string, string[]> { ["id"] = ["The product no longer exists."] });
            product.Sku = sku;
        }
        else
        {
            product = new Product { Sku = sku, Name = name, CreatedAt = now };
            db.Products.Add(product);
        }
        product.SetBarcodes(barcode, input.Barcodes);
        product.Name = name;
        product.Price = input.Price;
        product.ReorderLevel = input.ReorderLevel;
        product.TracksExpiry = input.TracksExpiry;
        product.Active = input.Active;
        SetTaxAndPrices(product, input.TaxCategory, input.Prices, input.Id is null);
        // UpdatedAt feeds the tills' catalog version (ETag): it moves on every save, also within one clock tick.
        product.UpdatedAt = input.Id is not null && product.UpdatedAt >= now ? product.UpdatedAt.AddTicks(1) : now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another user took the sku or barcode between the check and the save: the unique indexes decide.
            db.ChangeTracker.Clear();
            var sameSku = await db.Products.AnyAsync(p => p.Sku == sku && p.Id != (input.Id ?? 0), ct);
            problems.Add(sameSku ? "sku" : "barcode", sameSku ? $"Another product has the sku '{sku}'." : "Another product took one of these barcodes meanwhile.");
            problems.ThrowIfAny("The product is not valid.");
        }
        return product.Id;
    }

    /// <summary>Activates or deactivates a product; inactive products are not sold or counted.</summary>
    public async Task SetActiveAsync(int productId, bool active, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Products.Where(p => p.Id == productId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, active).SetProperty(p => p.UpdatedAt, now), ct);
        if (changed == 0) new Problems().Also("id", "The product no longer exists.").ThrowIfAny("Unknown product.");
    }

    public const int MaxSkuLength = 64;
    public const int MaxBarcodeLength = ProductBarcodes.MaxLength;
    public const int MaxNameLength = 200;

    /// <summary>Creates the product with this sku, or replaces its details. Barcodes stay unique; bad input changes nothing.</summary>
    public async Task<ProductSaved> SaveAsync(string sku, ProductChanges details, CancellationToken ct = default)
    {
        sku = sku?.Trim() ?? "";
        var barcode = string.IsNullOrWhiteSpace(details.Barcode) ? null : details.Barcode.Trim();
        var problems = new Problems();
        foreach (var (field, message) in Check(sku, details, _base.Code)) problems.Add(field, message);
        problems.ThrowIfAny("The product is not valid.");
        var keys = KeysOf(barcode, details.Barcodes);

        var now = clock.GetUtcNow().UtcDateTime;
        Product product;
        var created = false;
        try
        {
            // The stock-write transaction (inside the execution strategy, which a retrying strategy requires): on SQLite the
            // barcode check and the write cannot be split by another writer.
            (product, created) = await db.RetryingStockWriteAsync(async c =>
            {
                await using var tx = await db.BeginStockWriteAsync(c);
                // One read: the product itself and whichever other products hold one of its barcodes.
                var found = await db.Products.Include(p => p.Prices).Include(p => p.Barcodes)
                    .Where(p => p.Sku == sku || p.Barcodes.Any(b => keys.Contains(b.Key))).ToListAsync(c);
                if (found.FirstOrDefault(p => p.Sku != sku) is { } other)
                {
                    var taken = ProductBarcodes.All(barcode, details.Barcodes ?? []).First(code => other.Barcodes.Any(b => b.Key == ProductBarcodes.KeyOf(code)));
                    throw new BarcodeInUseException(taken, other.Sku, taken == barcode ? "barcode" : "barcodes");
                }
                var existing = found.FirstOrDefault(p => p.Sku == sku);
                var isNew = existing is null;
                created = isNew;
                var saved = existing ?? db.Products.Add(new Product { Sku = sku, Name = "", CreatedAt = now }).Entity;
                saved.Name = details.Name!.Trim();
                saved.SetBarcodes(barcode, details.Barcodes);
                saved.Price = Sales.Money.Round(details.Price!.Value);
                saved.ReorderLevel = details.ReorderLevel ?? (isNew ? 0 : saved.ReorderLevel);
                saved.TracksExpiry = details.TracksExpiry ?? (isNew || saved.TracksExpiry);
                saved.Active = details.Active ?? (isNew || saved.Active);
                SetTaxAndPrices(saved, details.TaxCategory, details.Prices, isNew);
                // UpdatedAt feeds the tills' catalog version (ETag): it moves on every save, also within one clock tick.
                saved.UpdatedAt = !isNew && saved.UpdatedAt >= now ? saved.UpdatedAt.AddTicks(1) : now;
                await db.SaveChangesAsync(c);
                await tx.CommitAsync(c);
                return (saved, isNew);
            }, ct);
        }
        catch (DbUpdateException e) when (e.InnerException is DbException)
        {
            // Another server took the sku or the barcode between the read and the write.
            db.ChangeTracker.Clear();
            if (await db.ProductBarcodes.Where(b => keys.Contains(b.Key) && b.Product.Sku != sku).Select(b => new { b.Code, b.Product.Sku }).FirstOrDefaultAsync(ct) is { } holder)
                throw new BarcodeInUseException(holder.Code, holder.Sku, keys.FirstOrDefault() == ProductBarcodes.KeyOf(holder.Code) && barcode is not null ? "barcode" : "barcodes");
            // The sku was created meanwhile: this save becomes an update of it (once: an update does not take this path).
            if (created && await db.Products.AnyAsync(p => p.Sku == sku, ct)) return await SaveAsync(sku, details, ct);
            throw;
        }
        return new ProductSaved(View(product), created);
    }

    /// <summary>
    /// The field rules of a product, in one place: both saves (form and integration) and the CSV import's preview use
    /// them, so a row shown as valid is one the save accepts.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Check(string sku, ProductChanges details, string? baseCurrency = null)
    {
        sku = sku?.Trim() ?? "";
        var barcode = string.IsNullOrWhiteSpace(details.Barcode) ? null : details.Barcode.Trim();
        if (sku.Length == 0) yield return ("sku", "sku is required.");
        else if (sku.Length > MaxSkuLength) yield return ("sku", $"sku is at most {MaxSkuLength} characters.");
        if (string.IsNullOrWhiteSpace(details.Name)) yield return ("name", "name is required.");
        else if (details.Name.Trim().Length > MaxNameLength) yield return ("name", $"name is at most {MaxNameLength} characters.");
        if (barcode is { Length: > MaxBarcodeLength }) yield return ("barcode", $"barcode is at most {MaxBarcodeLength} characters.");
        else if (barcode is not null && ProductBarcodes.Problem(barcode) is { } bad) yield return ("barcode", bad);
        if (details.Barcodes is { } others)
        {
            if (ProductBarcodes.All(barcode, others).Count > ProductBarcodes.MaxPerProduct)
                yield return ("barcodes", $"A product has at most {ProductBarcodes.MaxPerProduct} barcodes.");
            foreach (var problem in others.Where(o => !string.IsNullOrWhiteSpace(o)).Select(ProductBarcodes.Problem).OfType<string>().Take(1))
                yield return ("barcodes", problem);
        }
        if (details.Price is null) yield return ("price", "price is required.");
        else if (details.Price < 0) yield return ("price", "price must not be negative.");
        else if (!Problems.HasAtMostTwoDecimals(details.Price.Value)) yield return ("price", "price has more than 2 decimals.");
        if (details.ReorderLevel < 0) yield return ("reorderLevel", "reorderLevel must not be negative.");
        if (details.TaxCategory is not null && TaxCategories.Problem(TaxCategories.Canonical(details.TaxCategory)) is { } category)
            yield return ("taxCategory", category);
        foreach (var (code, price) in details.Prices ?? new Dictionary<string, decimal>())
        {
            var currency = code?.Trim().ToUpperInvariant() ?? "";
            var field = $"prices.{currency}";
            if (!Outlets.OutletRules.Currencies.Contains(currency)) yield return (field, $"'{code}' is not an ISO 4217 currency code such as EUR or USD.");
            else if (currency == baseCurrency) yield return (field, $"{currency} is the base currency: its price is 'price'.");
            else if (price < 0) yield return (field, "A price must not be negative.");
            else if (price > Sales.SaleRecorder.Bounds.MaxUnitPrice) yield return (field, $"A price is at most {Sales.SaleRecorder.Bounds.MaxUnitPrice:N0}.");
            else if (!Problems.HasAtMostTwoDecimals(price)) yield return (field, "A price has at most 2 decimals.");
        }
    }

    public static ProductView View(Product p) =>
        new(p.Sku, p.Barcode, p.Name, Sales.Money.Round(p.Price), p.ReorderLevel, p.TracksExpiry, p.Active, DateTime.SpecifyKind(p.UpdatedAt, DateTimeKind.Utc),
            p.TaxCategory, PriceList(p), p.AllBarcodes());

    /// <summary>The lookup keys of a save's barcodes (the primary and the others given).</summary>
    private static List<string> KeysOf(string? barcode, IReadOnlyList<string>? others) =>
        ProductBarcodes.All(barcode, others ?? []).Select(ProductBarcodes.KeyOf).ToList();
}
