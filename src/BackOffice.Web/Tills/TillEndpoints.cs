using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Lots;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BackOffice.Web.Tills;

/// <summary>The till and its outlet, with how its receipts are written (currency, culture, tax regime, address).</summary>
public sealed record TillMe(int TillId, string TillName, string OutletCode, string OutletName, string Currency, string? Culture,
    bool PricesIncludeTax, string? Address, string TimeZone);

public sealed record TillCatalog(DateTimeOffset GeneratedAt, string OutletCode, IReadOnlyList<TillProduct> Products, string Currency, bool PricesIncludeTax);

/// <summary>
/// A product as a till sells it: <paramref name="Price"/> in the outlet's currency (null: not priced there, not offered);
/// <paramref name="Barcodes"/> every barcode a scan may match, the primary first; <paramref name="RecalledLots"/> the lots
/// it must refuse to sell, offline too.
/// </summary>
public sealed record TillProduct(string Sku, string? Barcode, string Name, decimal? Price, int Available, DateOnly? NextExpiry, string TaxCategory, decimal TaxRate,
    IReadOnlyList<string> Barcodes, IReadOnlyList<string> RecalledLots);

public static class TillEndpoints
{
    /// <summary>The till routes of api.md under /api/till: a till token only, problem details, 1 MiB bodies.</summary>
    public static void MapTillApi(this WebApplication app)
    {
        var till = app.TillRoutes();

        till.MapGet("/me", async (HttpContext http, BackOfficeDb db, BaseCurrency baseCurrency, CancellationToken ct) =>
        {
            var outletId = http.User.Int(ApiClaims.OutletId);
            var outlet = await db.Outlets.Where(o => o.Id == outletId).Select(o => new { o.Currency, o.Culture, o.PricesIncludeTax, o.Address }).FirstAsync(ct);
            return new TillMe(http.User.Int(ApiClaims.TillId), http.User.Identity!.Name!, http.User.FindFirst(ApiClaims.OutletCode)!.Value,
                http.User.FindFirst(ApiClaims.OutletName)!.Value, baseCurrency.Of(outlet.Currency), outlet.Culture, outlet.PricesIncludeTax, outlet.Address,
                http.User.FindFirst(ApiClaims.OutletTimeZone)!.Value);
        })
            .WithName("GetTill").WithSummary("The till this token belongs to, and its outlet");

        till.MapGet("/catalog", async (HttpContext http, BackOfficeDb db, TimeProvider clock, BaseCurrency baseCurrency, CancellationToken ct) =>
        {
            var outletId = http.User.Int(ApiClaims.OutletId);
            var now = clock.GetUtcNow();
            var today = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(http.User.FindFirst(ApiClaims.OutletTimeZone)!.Value), now);

            var etag = await CatalogVersionAsync(db, outletId, today, ct);
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "no-cache";
            if (EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var tags)
                && tags.Any(t => t.Tag == "*" || t.Tag.ToString() == etag))
                return Results.StatusCode(StatusCodes.Status304NotModified);

            var outlet = await db.Outlets.Where(o => o.Id == outletId)
                .Select(o => new { o.Currency, o.PricesIncludeTax, Rates = o.TaxRates.Select(r => new { r.Category, r.RatePercent }).ToList() }).FirstAsync(ct);
            var currency = baseCurrency.Of(outlet.Currency);
            var rates = outlet.Rates.ToDictionary(r => r.Category, r => r.RatePercent, StringComparer.Ordinal);
            var stock = await db.StockAt(outletId, today, db.Products.Where(p => p.Active).OrderBy(p => p.Sku)).ToListAsync(ct);
            var prices = await Prices.In(db, currency, baseCurrency).ToDictionaryAsync(p => p.ProductId, p => p.Price, ct);
            // Every active product's barcodes in one query, however many each has.
            var barcodes = (await db.ProductBarcodes.Where(b => b.Product.Active).Select(b => new { b.ProductId, b.Code }).ToListAsync(ct))
                .ToLookup(b => b.ProductId, b => b.Code);
            var recalled = await LotRecalls.RecalledByProductAsync(db, ct);
            return Results.Ok(new TillCatalog(now.ToUniversalTime(), http.User.FindFirst(ApiClaims.OutletCode)!.Value,
                stock.Select(p => new TillProduct(p.Sku, p.Barcode, p.Name, prices.TryGetValue(p.ProductId, out var price) ? Money.Round(price) : null,
                    p.Available, p.NextExpiry, p.TaxCategory,
                    Tax.RateFor(rates.TryGetValue(p.TaxCategory, out var rate) ? rate : null, rates.TryGetValue(TaxCategories.Standard, out var standard) ? standard : null),
                    ProductBarcodes.All(p.Barcode, barcodes[p.ProductId].Order(StringComparer.Ordinal)), recalled.GetValueOrDefault(p.ProductId) ?? []))
                    .ToList(), currency, outlet.PricesIncludeTax));
        })
        .WithName("GetTillCatalog").WithSummary("Every active product with what the till's outlet can sell (ETag; 304 while unchanged)")
        .Produces<TillCatalog>().Produces(StatusCodes.Status304NotModified);

    }

    /// <summary>
    /// A cheap version stamp of a till's catalog, in one query: the ledger's last movement (every stock change writes one),
    /// the last product change and the product count, and the outlet's date (batches expire at midnight without a write).
    /// A change at another outlet also moves it: the till then refetches once, which is harmless.
    /// </summary>
    public static async Task<string> CatalogVersionAsync(BackOfficeDb db, int outletId, DateOnly today, CancellationToken ct)
    {
        var stamp = await db.Outlets.Where(o => o.Id == outletId).Select(o => new
        {
            // A change of the outlet's currency, tax regime or rates changes what the till charges.
            o.Currency, o.PricesIncludeTax, Rates = o.TaxRates.Count(), RateSum = o.TaxRates.Sum(r => (double)r.RatePercent * (r.Category.Length + 1)),
            LastMovement = db.Movements.Max(m => (long?)m.Id),
            LastProductChange = db.Products.Max(p => (DateTime?)p.UpdatedAt),
            Products = db.Products.Count(),
            // Barcodes change with a product save (UpdatedAt), and are counted in case one is written otherwise.
            Barcodes = db.ProductBarcodes.Count(),
        }).FirstAsync(ct);
        var text = string.Join('|', outletId.ToString(CultureInfo.InvariantCulture), stamp.Currency, stamp.PricesIncludeTax, stamp.Rates.ToString(CultureInfo.InvariantCulture),
            stamp.RateSum.ToString("R", CultureInfo.InvariantCulture), stamp.LastMovement?.ToString(CultureInfo.InvariantCulture),
            stamp.LastProductChange?.Ticks.ToString(CultureInfo.InvariantCulture), stamp.Products.ToString(CultureInfo.InvariantCulture),
            stamp.Barcodes.ToString(CultureInfo.InvariantCulture),
            today.ToString("O", CultureInfo.InvariantCulture));
        return "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12)) + "\"";
    }
}
