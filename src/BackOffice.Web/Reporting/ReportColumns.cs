using System.Globalization;
using BackOffice.Core.Reporting;

namespace BackOffice.Web.Reporting;

/// <summary>
/// One column of a report as it is shown and exported: the page's table and the CSV are both drawn from the same list,
/// so the CSV holds exactly what the page shows.
/// </summary>
public sealed record ReportColumn<T>(string Header, Func<T, object?> Value, bool Numeric = false, string? Format = null)
{
    public string Text(T row) => Value(row) switch
    {
        null => "",
        IFormattable f => f.ToString(Format, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}

/// <summary>The columns of every report.</summary>
public static class ReportColumns
{
    private const string Money = "0.00";
    private const string Day = "yyyy-MM-dd";
    private const string Time = "yyyy-MM-dd HH:mm:ss";

    public static readonly ReportColumn<StockValueRow>[] Stock =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName),
        new("On hand", r => r.OnHand, true), new("Available", r => r.Available, true), new("Expired", r => r.Expired, true),
        new("Value at cost", r => r.Value, true, Money), new("Expired value", r => r.ExpiredValue, true, Money),
    ];

    public static readonly ReportColumn<ExpiryRow>[] Expiry =
    [
        new("Expires", r => r.ExpiryDate, false, Day), new("Days left", r => r.DaysLeft, true), new("Outlet", r => r.OutletCode),
        new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Lot", r => r.LotNumber),
        new("On hand", r => r.OnHand, true), new("Unit cost", r => r.UnitCost, true, "0.0000"), new("Value at risk", r => r.Value, true, Money),
    ];

    public static readonly ReportColumn<LedgerRow>[] Ledger =
    [
        new("Id", r => r.Id, true), new("When (UTC)", r => r.CreatedAt, false, Time), new("Outlet", r => r.OutletCode), new("Kind", r => r.Kind),
        new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Lot", r => r.LotNumber), new("Batch", r => r.BatchId),
        new("Quantity", r => r.Quantity, true), new("Balance", r => r.Balance, true), new("Reference", r => r.Reference),
        new("By", r => r.By), new("Till", r => r.TillName), new("Note", r => r.Note),
    ];

    /// <summary>The running balance means something for one batch only: the page shows it then, and so does the CSV.</summary>
    public static IReadOnlyList<ReportColumn<LedgerRow>> LedgerFor(Guid? batchId) =>
        batchId is null ? Ledger.Where(c => c.Header != "Balance").ToArray() : Ledger;

    public static ReportColumn<SalesRow>[] Sales(SalesBy by) =>
    [
        new(by switch { SalesBy.Day => "Day", SalesBy.Product => "Product", SalesBy.Outlet => "Outlet", _ => "Till" }, r => r.Label),
        new("Quantity (net)", r => r.Quantity, true), new("Returned", r => r.ReturnedQuantity, true), new("Revenue", r => r.Revenue, true, Money),
        new("Cost", r => r.Cost, true, Money), new("Margin", r => r.Margin, true, Money), new("Margin %", r => r.MarginPercent, true, "0.0"),
    ];

    public static readonly ReportColumn<ReorderRow>[] Reorder =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Reorder level", r => r.ReorderLevel, true),
        new("Available", r => r.Available, true), new("Sold, 28 days", r => r.SoldLast28Days, true), new("Days of cover", r => r.DaysOfCover, true, "0.0"),
        new("Suggested order", r => r.SuggestedOrder, true),
    ];

    public static readonly ReportColumn<DiscrepancyRow>[] Discrepancies =
    [
        new("Outlet", r => r.OutletCode), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Units short", r => r.ShortfallUnits, true),
        new("Returns not taken back", r => r.RejectedReturnUnits, true), new("Times", r => r.Count, true), new("Open", r => r.Open, true),
        new("First (UTC)", r => r.First, false, Time), new("Last (UTC)", r => r.Last, false, Time),
    ];

    public static readonly ReportColumn<VarianceRow>[] Variance =
    [
        new("Stock take", r => r.StockTakeId, true), new("Outlet", r => r.OutletCode), new("Opened (UTC)", r => r.OpenedAt, false, Time),
        new("Status", r => r.Status), new("SKU", r => r.Sku), new("Product", r => r.ProductName), new("Expected", r => r.Expected, true),
        new("Counted", r => r.Counted, true), new("Variance", r => r.Variance, true), new("Variance value", r => r.Value, true, Money),
    ];
}
