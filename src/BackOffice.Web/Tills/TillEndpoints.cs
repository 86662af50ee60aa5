using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BackOffice.Web.Tills;

public sealed record TillMe(int TillId, string TillName, string OutletCode, string OutletName);

public sealed record TillCatalog(DateTimeOffset GeneratedAt, string OutletCode, IReadOnlyList<TillProduct> Products);

public sealed record TillProduct(string Sku, string? Barcode, string Name, decimal Price, int Available, DateOnly? NextExpiry);

public static class TillEndpoints
{
    /// <summary>The till routes of api.md under /api/till: a till token only, problem details, 1 MiB bodies.</summary>
    public static void MapTillApi(this WebApplication app)
    {
        var till = app.TillRoutes();

        till.MapGet("/me", (HttpContext http) => new TillMe(http.User.Int(ApiClaims.TillId), http.User.Identity!.Name!,
            http.User.FindFirst(ApiClaims.OutletCode)!.Value, http.User.FindFirst(ApiClaims.OutletName)!.Value))
            .WithName("GetTill").WithSummary("The till this token belongs to, and its outlet");

        till.MapGet("/catalog", async (HttpContext http, BackOfficeDb db, TimeProvider clock, CancellationToken ct) =>
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

            var stock = await db.StockAt(outletId, today, db.Products.Where(p => p.Active).OrderBy(p => p.Sku)).ToListAsync(ct);
            return Results.Ok(new TillCatalog(now.ToUniversalTime(), http.User.FindFirst(ApiClaims.OutletCode)!.Value,
                stock.Select(p => new TillProduct(p.Sku, p.Barcode, p.Name, p.Price, p.Available, p.NextExpiry)).ToList()));
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
            LastMovement = db.Movements.Max(m => (long?)m.Id),
            LastProductChange = db.Products.Max(p => (DateTime?)p.UpdatedAt),
            Products = db.Products.Count(),
        }).FirstAsync(ct);
        var text = string.Join('|', outletId.ToString(CultureInfo.InvariantCulture), stamp.LastMovement?.ToString(CultureInfo.InvariantCulture),
            stamp.LastProductChange?.Ticks.ToString(CultureInfo.InvariantCulture), stamp.Products.ToString(CultureInfo.InvariantCulture),
            today.ToString("O", CultureInfo.InvariantCulture));
        return "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12)) + "\"";
    }
}
