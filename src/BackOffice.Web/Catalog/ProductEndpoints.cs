using BackOffice.Core.Catalog;
using BackOffice.Web.Hosting;

namespace BackOffice.Web.Catalog;

public sealed record ProductBody(string? Name, string? Barcode, decimal? Price, int? ReorderLevel, bool? TracksExpiry, bool? Active);

public static class ProductEndpoints
{
    /// <summary>PUT /api/products/{sku}: integrations create (201) or update (200) a product; barcodes are unique (409).</summary>
    public static void MapProductApi(this WebApplication app)
    {
        var products = app.MapGroup("/api/products").RequireAuthorization(ApiPolicies.Integration).RequireRateLimiting(RateLimitPolicies.Api).WithApiProblems().WithTags("Integration");

        products.MapPut("/{sku}", async (string sku, HttpRequest http, ApiBody body, ProductCatalog catalog, CancellationToken ct) =>
        {
            var details = await body.ReadAsync<ProductBody>(http);
            var saved = await catalog.SaveAsync(sku, new ProductChanges(details.Name, details.Barcode, details.Price, details.ReorderLevel,
                details.TracksExpiry, details.Active), ct);
            return Results.Json(saved.Product, body.Json, statusCode: saved.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });
    }
}
