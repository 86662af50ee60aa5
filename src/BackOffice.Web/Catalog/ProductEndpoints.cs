using BackOffice.Core.Catalog;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;

namespace BackOffice.Web.Catalog;

/// <summary>
/// PUT /api/products/{sku}: <c>price</c> in the base currency, <c>prices</c> in others (given, they replace the product's), <c>taxCategory</c>;
/// <c>barcodes</c>, given, replace the barcodes other than the primary <c>barcode</c>.
/// </summary>
public sealed record ProductBody(string? Name, decimal? Price, string? Barcode = null, int? ReorderLevel = null, bool? TracksExpiry = null, bool? Active = null,
    string? TaxCategory = null, Dictionary<string, decimal>? Prices = null, List<string?>? Barcodes = null);

public static class ProductEndpoints
{
    /// <summary>PUT /api/products/{sku}: integrations create (201) or update (200) a product; barcodes are unique (409).</summary>
    public static void MapProductApi(this WebApplication app)
    {
        var products = app.MapGroup("/api/products").RequireAuthorization(ApiPolicies.Integration).RequireRateLimiting(RateLimitPolicies.Api)
            .WithApiProblems().WithTags("Integration").WithCredentialProblems();

        products.MapPut("/{sku}", async (string sku, HttpRequest http, ApiBody body, ProductCatalog catalog, CancellationToken ct) =>
        {
            var details = await body.ReadAsync<ProductBody>(http);
            var saved = await catalog.SaveAsync(sku, new ProductChanges(details.Name, details.Barcode, details.Price, details.ReorderLevel,
                details.TracksExpiry, details.Active, details.TaxCategory, details.Prices, details.Barcodes?.OfType<string>().ToList()), ct);
            return Results.Json(saved.Product, body.Json, statusCode: saved.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        })
        .RequireAuthorization(ApiPolicies.Scope(Core.Tills.ApiKeyScopes.Products))
        .WithName("PutProduct").WithSummary("Create (201) or update (200) a product by sku")
        .WithJsonBody<ProductBody>()
        .Produces<ProductView>(StatusCodes.Status201Created).Produces<ProductView>()
        .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
