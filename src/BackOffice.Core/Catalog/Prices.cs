using BackOffice.Core.Data;
using BackOffice.Core.Outlets;

namespace BackOffice.Core.Catalog;

public sealed record PriceIn(int ProductId, decimal Price);

public static class Prices
{
    /// <summary>
    /// Every product's shelf price in <paramref name="currency"/>: the base price in the base currency, else the product's
    /// price in that currency. A product with no price there is missing: tills do not offer it.
    /// </summary>
    public static IQueryable<PriceIn> In(BackOfficeDb db, string currency, BaseCurrency baseCurrency) =>
        currency == baseCurrency.Code
            ? db.Products.Select(p => new PriceIn(p.Id, p.Price))
            : db.ProductPrices.Where(p => p.Currency == currency).Select(p => new PriceIn(p.ProductId, p.Price));
}
