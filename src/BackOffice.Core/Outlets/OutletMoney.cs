using BackOffice.Core.Data;

namespace BackOffice.Core.Outlets;

/// <summary>
/// The chain's base currency (<c>BackOffice:BaseCurrency</c>, ISO 4217): product prices are kept in it, and an outlet made
/// before outlets had a currency counts in it until its currency is set.
/// </summary>
public sealed record BaseCurrency(string Code)
{
    public const string Default = "GBP";

    public static readonly BaseCurrency Gbp = new(Default);

    /// <summary>The currency of an outlet's money: its own, or the base currency where it has none.</summary>
    public string Of(string? outletCurrency) => outletCurrency ?? Code;
}

/// <summary>An amount in one currency. Amounts of different currencies are never added up.</summary>
public readonly record struct CurrencyAmount(decimal Amount, string Currency);

/// <summary>An outlet's code with the currency its money is in (its own, or the base currency where it has none).</summary>
public sealed class OutletCurrency
{
    public int Id { get; set; }
    public string Code { get; set; } = "";
    public string Currency { get; set; } = "";
}

public static class OutletMoney
{
    /// <summary>
    /// Decimal places of a currency's minor unit (ISO 4217): 0 for the yen, 3 for the Kuwaiti dinar, 2 for most. The one
    /// list: receipts round tax to it (capped at the two decimals amounts are stored with), pages write money in it.
    /// </summary>
    public static int MinorUnit(string? currency) =>
        currency is null ? 2 : ZeroDecimalCurrencies.Contains(currency) ? 0 : ThreeDecimalCurrencies.Contains(currency) ? 3 : 2;

    private static readonly HashSet<string> ZeroDecimalCurrencies = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimalCurrencies = new(StringComparer.Ordinal) { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

    /// <summary>Each outlet's currency, as a sub-query to join: the one place an outlet without a currency falls back to the base.</summary>
    public static IQueryable<OutletCurrency> OutletCurrencies(this BackOfficeDb db, BaseCurrency baseCurrency)
    {
        // As BaseCurrency.Of, in SQL.
        var fallback = baseCurrency.Code;
        return db.Outlets.Select(o => new OutletCurrency { Id = o.Id, Code = o.Code, Currency = o.Currency ?? fallback });
    }

    /// <summary>Totals per currency of a few rows already summed in SQL (per outlet, day or week), in currency order.</summary>
    public static IReadOnlyList<CurrencyAmount> ByCurrency<T>(this IEnumerable<T> rows, Func<T, string> currency, Func<T, decimal> amount) =>
        rows.GroupBy(currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyAmount(g.Sum(amount), g.Key)).ToList();
}
