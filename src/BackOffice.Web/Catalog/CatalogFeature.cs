using BackOffice.Core.Catalog;

namespace BackOffice.Web.Catalog;

/// <summary>Products: the catalog service (pages, CSV import, integrations), a product's stock report, and PUT /api/products/{sku}.</summary>
public static class CatalogFeature
{
    public static void AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ProductCatalog>();
        var chain = builder.Configuration.GetSection("BackOffice").Get<ChainCurrency>() ?? new ChainCurrency();
        chain.BaseCurrency = chain.BaseCurrency.Trim().ToUpperInvariant();
        if (!Core.Outlets.OutletRules.Currencies.Contains(chain.BaseCurrency))
            throw new InvalidOperationException($"BackOffice:BaseCurrency '{chain.BaseCurrency}' is not an ISO 4217 currency code such as GBP.");
        builder.Services.AddSingleton(chain);
    }

    public static void MapCatalog(this WebApplication app) => app.MapProductApi();
}
