using BackOffice.Core.Catalog;

namespace BackOffice.Web.Catalog;

/// <summary>Products: the catalog service (pages, CSV import, integrations), a product's stock report, and PUT /api/products/{sku}.</summary>
public static class CatalogFeature
{
    public static void AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ProductCatalog>();
    }

    public static void MapCatalog(this WebApplication app) => app.MapProductApi();
}
