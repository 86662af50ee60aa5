using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

public enum ProductSort { Name, Sku, Price, ReorderLevel }

public sealed record ProductQuery(int OutletId, string? Search, ProductSort Sort = ProductSort.Name, bool Descending = false,
    int Skip = 0, int Take = 25, bool IncludeInactive = true);

/// <summary>One row of the products page: the product, its stock at the chosen outlet, and its flags.</summary>
public sealed record ProductRow(ProductStock Stock, bool Active, bool NearExpiry);

public sealed record ProductPage(int Total, IReadOnlyList<ProductRow> Rows);

/// <summary>The products page: products with their stock at one outlet, read as one projection.</summary>
public sealed class ProductStockList(BackOfficeDb db, TimeProvider clock)
{
    /// <summary>Days ahead within which a product's next sellable expiry earns the near-expiry badge.</summary>
    public const int NearExpiryDays = 30;

    /// <summary>
    /// A page of products with their stock at one outlet, in three commands whatever the catalog's size: the count,
    /// the page (products paged first, then their stock projected by <see cref="StockQueries.StockAt"/>), and the
    /// page's active flags.
    /// </summary>
    public async Task<ProductPage> PageAsync(ProductQuery query, CancellationToken ct = default)
    {
        var zone = await db.Outlets.Where(o => o.Id == query.OutletId).Select(o => o.TimeZoneId).FirstOrDefaultAsync(ct)
                   ?? throw new ValidationFailedException("Unknown outlet.", new Dictionary<string, string[]> { ["outletId"] = ["Choose an outlet."] });
        var today = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(zone), clock.GetUtcNow());

        var products = db.Products.AsQueryable();
        if (!query.IncludeInactive) products = products.Where(p => p.Active);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            products = products.Where(Catalog.ProductSearch.Matches(db, query.Search));
        }
        var total = await products.CountAsync(ct);
        var ordered = (query.Sort, query.Descending) switch
        {
            (ProductSort.Sku, false) => products.OrderBy(p => p.Sku),
            (ProductSort.Sku, true) => products.OrderByDescending(p => p.Sku),
            (ProductSort.Price, false) => products.OrderBy(p => p.Price).ThenBy(p => p.Sku),
            (ProductSort.Price, true) => products.OrderByDescending(p => p.Price).ThenBy(p => p.Sku),
            (ProductSort.ReorderLevel, false) => products.OrderBy(p => p.ReorderLevel).ThenBy(p => p.Sku),
            (ProductSort.ReorderLevel, true) => products.OrderByDescending(p => p.ReorderLevel).ThenBy(p => p.Sku),
            (_, false) => products.OrderBy(p => p.Name).ThenBy(p => p.Sku),
            (_, true) => products.OrderByDescending(p => p.Name).ThenBy(p => p.Sku),
        };
        var page = ordered.Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, 200));
        var stock = await db.StockAt(query.OutletId, today, page).ToListAsync(ct);
        var ids = stock.Select(s => s.ProductId).ToList();
        var active = await db.Products.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Active }).ToDictionaryAsync(p => p.Id, p => p.Active, ct);
        // The projection runs on the ordered page, so the rows come back in the page's order.
        var rows = stock.Select(s => new ProductRow(s, active[s.ProductId], s.NextExpiry is { } d && d <= today.AddDays(NearExpiryDays))).ToList();
        return new ProductPage(total, rows);
    }
}
