using BackOffice.Core.Data;

namespace BackOffice.Core.Catalog;

/// <summary>The chain's base currency (<c>BackOffice:BaseCurrency</c>): the currency of <see cref="Product.Price"/>.</summary>
public sealed class ChainCurrency
{
    public string BaseCurrency { get; set; } = "GBP";

    /// <summary>An outlet's currency; an outlet made before outlets had one trades in the base currency.</summary>
    public string Of(string? outletCurrency) => outletCurrency ?? BaseCurrency;
}

public sealed record PriceIn(int ProductId, decimal Price);

public static class Prices
{
    /// <summary>
    /// Every product's shelf price in <paramref name="currency"/>: the base price in the base currency, else the product's
    /// price in that currency. A product with no price there is missing: tills do not offer it.
    /// </summary>
    public static IQueryable<PriceIn> In(BackOfficeDb db, string currency, ChainCurrency chain) =>
        currency == chain.BaseCurrency
            ? db.Products.Select(p => new PriceIn(p.Id, p.Price))
            : db.ProductPrices.Where(p => p.Currency == currency).Select(p => new PriceIn(p.ProductId, p.Price));
}
