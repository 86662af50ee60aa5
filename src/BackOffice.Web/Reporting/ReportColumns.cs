using System.Globalization;
using BackOffice.Core.Reporting;
using BackOffice.Web.Components;

namespace BackOffice.Web.Reporting;

/// <summary>What a column holds, which decides how the page writes it (<see cref="Formats"/>) and how the CSV does.</summary>
public enum Cell { Text, Number, Count, OneDecimal, Money, UnitCost, Day, Time }

/// <summary>
/// One column of a report as it is shown and exported: the page's table and the CSV are both drawn from the same list,
/// so the CSV holds what the page shows. The page writes values in the culture in view, money with its currency's symbol;
/// the CSV writes them invariant (plain numbers, ISO dates, UTC times) and carries the currency in a column of its own.
/// </summary>
public sealed record ReportColumn<T>(string Header, Func<T, object?> Value, Cell Kind = Cell.Text, Func<T, string>? CurrencyOf = null, bool CsvOnly = false)
{
    public bool Numeric => Kind is Cell.Number or Cell.Count or Cell.OneDecimal or Cell.Money or Cell.UnitCost;

    /// <summary>The CSV's text: invariant and machine-readable.</summary>
    public string Text(T row) => Value(row) switch
    {
        null => "",
        IFormattable f => f.ToString(Kind switch
        {
            Cell.Money => "0.00",
            Cell.UnitCost => "0.00##",
            Cell.OneDecimal => "0.0",
            Cell.Day => "yyyy-MM-dd",
            Cell.Time => "yyyy-MM-dd HH:mm:ss",
            _ => null,
        }, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    /// <summary>The page's text, in <paramref name="formats"/>.</summary>
    public string Show(T row, Formats formats) => (Value(row), Kind) switch
    {
        (null, _) => "",
        (decimal d, Cell.Money) => formats.Money(d, CurrencyOf!(row)),
        (decimal d, Cell.UnitCost) => formats.UnitCost(d, CurrencyOf!(row)),
        (decimal d, Cell.OneDecimal) => formats.OneDecimal(d),
        (int n, Cell.Count) => formats.Count(n),
        (long n, Cell.Count) => formats.Count(n),
        (DateOnly day, Cell.Day) => formats.Date(day),
        // The headers of time columns say UTC: the culture's way of writing it, the instant as it is.
        (DateTime at, Cell.Time) => formats.UtcTime(at),
        (_, Cell.Number) => Text(row),
        (IFormattable f, _) => f.ToString(null, formats.Culture),
        (var v, _) => v.ToString() ?? "",
    };
}

/// <summary>The columns of every report.</summary>
public static class ReportColumns
{
    // The page writes each amount with its currency's symbol; the CSV's amounts are plain numbers, so it says the currency.
    private static ReportColumn<T> Currency<T>(Func<T, string> currency) => new("Currency", currency, CsvOnly: true);

    public static readonly ReportColumn<StockValueRow>[] Stock =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName),
        new("On hand", r => r.OnHand, Cell.Count), new("Available", r => r.Available, Cell.Count), new("Expired", r => r.Expired, Cell.Count),
        Currency<StockValueRow>(r => r.Currency),
        new("Value at cost (sellable)", r => r.Value, Cell.Money, r => r.Currency), new("Expired at cost", r => r.ExpiredValue, Cell.Money, r => r.Currency),
    ];

    public static readonly ReportColumn<ExpiryRow>[] Expiry =
    [
        new("Expires", r => r.ExpiryDate, Cell.Day), new("Days left", r => r.DaysLeft, Cell.Count), new("Outlet", r => r.OutletCode),
        new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Lot", r => r.LotNumber),
        new("On hand", r => r.OnHand, Cell.Count), Currency<ExpiryRow>(r => r.Currency),
        new("Unit cost", r => r.UnitCost, Cell.UnitCost, r => r.Currency), new("Value at risk", r => r.Value, Cell.Money, r => r.Currency),
    ];

    public static readonly ReportColumn<LedgerRow>[] Ledger =
    [
        new("Id", r => r.Id, Cell.Number), new("When (UTC)", r => r.CreatedAt, Cell.Time), new("Outlet", r => r.OutletCode), new("Kind", r => r.Kind),
        new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Lot", r => r.LotNumber), new("Batch", r => r.BatchId),
        new("Quantity", r => r.Quantity, Cell.Count), new("Balance", r => r.Balance, Cell.Count), new("Reference", r => r.Reference),
        new("By", r => r.By), new("Till", r => r.TillName), new("Note", r => r.Note),
    ];

    /// <summary>The running balance means something for one batch only: the page shows it then, and so does the CSV.</summary>
    public static IReadOnlyList<ReportColumn<LedgerRow>> LedgerFor(Guid? batchId) =>
        batchId is null ? Ledger.Where(c => c.Header != "Balance").ToArray() : Ledger;

    public static ReportColumn<SalesRow>[] Sales(SalesBy by) =>
    [
        new(by switch { SalesBy.Day => "Day", SalesBy.Product => "Product", SalesBy.Outlet => "Outlet", _ => "Till" }, r => r.Label),
        Currency<SalesRow>(r => r.Currency),
        new("Quantity (net)", r => r.Quantity, Cell.Count), new("Returned", r => r.ReturnedQuantity, Cell.Count), new("Revenue (net)", r => r.Revenue, Cell.Money, r => r.Currency),
        new("Tax", r => r.Tax, Cell.Money, r => r.Currency), new("Gross", r => r.Gross, Cell.Money, r => r.Currency),
        new("Cost", r => r.Cost, Cell.Money, r => r.Currency), new("Margin", r => r.Margin, Cell.Money, r => r.Currency), new("Margin %", r => r.MarginPercent, Cell.OneDecimal),
    ];

    public static readonly ReportColumn<ReorderRow>[] Reorder =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Reorder level", r => r.ReorderLevel, Cell.Count),
        new("Available", r => r.Available, Cell.Count), new("Sold, 28 days", r => r.SoldLast28Days, Cell.Count), new("Days of cover", r => r.DaysOfCover, Cell.OneDecimal),
        new("Suggested order", r => r.SuggestedOrder, Cell.Count),
    ];

    public static readonly ReportColumn<DiscrepancyRow>[] Discrepancies =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Units short", r => r.ShortfallUnits, Cell.Count),
        new("Returns not taken back", r => r.RejectedReturnUnits, Cell.Count), new("Times", r => r.Count, Cell.Count), new("Open", r => r.Open, Cell.Count),
        new("First (UTC)", r => r.First, Cell.Time), new("Last (UTC)", r => r.Last, Cell.Time),
    ];

    public static readonly ReportColumn<VarianceRow>[] Variance =
    [
        new("Stock take", r => r.StockTakeId, Cell.Number), new("Outlet", r => r.OutletCode), new("Opened (UTC)", r => r.OpenedAt, Cell.Time),
        new("Status", r => r.Status), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Expected", r => r.Expected, Cell.Count),
        new("Counted", r => r.Counted, Cell.Count), new("Variance", r => r.Variance, Cell.Count), Currency<VarianceRow>(r => r.Currency),
        new("Variance value", r => r.Value, Cell.Money, r => r.Currency),
    ];
}
