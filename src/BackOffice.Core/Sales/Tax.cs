namespace BackOffice.Core.Sales;

/// <summary>A line's amount before tax and its tax, in the sale's currency.</summary>
public readonly record struct LineTax(decimal Net, decimal Tax)
{
    public decimal Gross => Net + Tax;
}

/// <summary>One row of a receipt's tax summary: the lines of one category at one rate.</summary>
public sealed record TaxRow(string Category, decimal Rate, decimal Net, decimal Tax, decimal Gross);

/// <summary>
/// The tax arithmetic of receipts, returns and the Z report (api.md, "Money"): tax is computed per line and rounded half
/// away from zero to the currency's minor unit; rows per rate are sums of their lines, so a receipt's rows always add
/// up to its total. The till's <c>wwwroot/js/tax.js</c> is the same rule for offline receipts.
/// </summary>
public static class Tax
{
    /// <summary>
    /// The tax of a line charging <paramref name="amount"/> (quantity × unit price). With tax-inclusive prices the amount is
    /// the gross and the tax is the part of it at <paramref name="ratePercent"/>; otherwise the amount is the net and the tax
    /// is added on top.
    /// </summary>
    public static LineTax OfLine(decimal amount, decimal ratePercent, bool pricesIncludeTax, string? currency)
    {
        var digits = MinorUnit(currency);
        if (pricesIncludeTax)
        {
            var included = Round(amount * ratePercent / (100m + ratePercent), digits);
            return new LineTax(amount - included, included);
        }
        return new LineTax(amount, Round(amount * ratePercent / 100m, digits));
    }

    /// <summary>
    /// What returning <paramref name="returning"/> of <paramref name="soldQuantity"/> units refunds, when
    /// <paramref name="returnedBefore"/> went back earlier: the difference of two rounded shares, so that returns of every
    /// unit, in any number of steps, refund exactly what the sale charged — net and tax each.
    /// </summary>
    public static LineTax Refund(LineTax sold, int soldQuantity, int returnedBefore, int returning, string? currency)
    {
        var digits = MinorUnit(currency);
        decimal Share(decimal amount, int units) => units >= soldQuantity ? amount : Round(amount * units / soldQuantity, digits);
        return new LineTax(Share(sold.Net, returnedBefore + returning) - Share(sold.Net, returnedBefore),
            Share(sold.Tax, returnedBefore + returning) - Share(sold.Tax, returnedBefore));
    }

    /// <summary>The summary rows of some lines: one per (category, rate), highest rate first.</summary>
    public static IReadOnlyList<TaxRow> Rows(IEnumerable<(string Category, decimal Rate, decimal Net, decimal Tax)> lines) =>
        lines.GroupBy(l => (l.Category, l.Rate))
            .Select(g => new TaxRow(g.Key.Category, Percent(g.Key.Rate), Money.Round(g.Sum(l => l.Net)), Money.Round(g.Sum(l => l.Tax)),
                Money.Round(g.Sum(l => l.Net + l.Tax))))
            .OrderByDescending(r => r.Rate).ThenBy(r => r.Category, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The rate of a product at an outlet: the outlet's rate for the product's category, else its "standard" rate (a
    /// category the outlet has not priced is taxed as standard, never silently at zero), else zero.
    /// </summary>
    public static decimal RateFor(decimal? categoryRate, decimal? standardRate) => categoryRate ?? standardRate ?? 0m;

    /// <summary>The currency's minor unit, capped at two: prices and stored amounts have two decimals.</summary>
    public static int MinorUnit(string? currency) => Math.Min(2, Outlets.OutletMoney.MinorUnit(currency));

    private static decimal Round(decimal value, int digits) => decimal.Round(value, digits, MidpointRounding.AwayFromZero);

    /// <summary>A rate as answers write it: 8.875 keeps its decimals, but 20 is 20, not 20.000 (as a numeric(6,3) column reads).</summary>
    public static decimal Percent(decimal rate) => rate / 1.000000000000000000000000000000000m;
}
