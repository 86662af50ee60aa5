namespace BackOffice.Core.Inventory;

/// <summary>
/// What a receipt line must be, in one place: the API's and the page's receipts and the opening stock import say the same.
/// Fields are named as the API names them (quantity, unitCost, lotNumber, expiryDate, outletCode).
/// </summary>
public static class ReceiptRules
{
    public const int MaxLotLength = 64;

    /// <summary>The rules that need nothing but the line.</summary>
    public static IEnumerable<(string Field, string Message)> Line(int quantity, decimal unitCost, string? lotNumber)
    {
        if (quantity < 1) yield return ("quantity", "quantity must be at least 1.");
        if (unitCost < 0) yield return ("unitCost", "unitCost must not be negative.");
        if (lotNumber is { Length: > MaxLotLength }) yield return ("lotNumber", $"lotNumber is at most {MaxLotLength} characters.");
    }

    /// <summary>The expiry date against the product and the outlet's today (<see cref="ExpiryRule"/>).</summary>
    public static IEnumerable<(string Field, string Message)> Expiry(string sku, bool tracksExpiry, DateOnly? expiryDate, DateOnly today)
    {
        if (tracksExpiry && expiryDate is null) yield return ("expiryDate", $"'{sku}' tracks expiry: an expiry date is required.");
        if (!tracksExpiry && expiryDate is not null) yield return ("expiryDate", $"'{sku}' does not track expiry: leave the expiry date empty.");
        if (ExpiryRule.IsExpired(expiryDate, today)) yield return ("expiryDate", "The expiry date is already past.");
    }

    /// <summary>Why an outlet takes no receipt (unknown, closed), or null when it takes them.</summary>
    public static string? Outlet(string code, bool exists, DateTime? closedAt) =>
        !exists ? $"Unknown outlet '{code}'."
        : closedAt is { } closed ? $"Outlet '{code}' is closed (since {closed:yyyy-MM-dd}): it takes no receipts."
        : null;

    /// <summary>The lot a line goes into: trimmed, none when blank (lines of the same lot add up into one batch).</summary>
    public static string? Lot(string? lotNumber) => string.IsNullOrWhiteSpace(lotNumber) ? null : lotNumber.Trim();
}
