using System.Globalization;
using BackOffice.Core.Inventory;
using BackOffice.Core.Reporting;

namespace BackOffice.Web.Reporting;

/// <summary>
/// A report's filters as they travel in a URL (the CSV link and the page's address share them): outlet, from, to, product,
/// and the report's own options (by, kind, batch, section, days).
/// </summary>
public sealed record ReportQuery(ReportFilter Filter, SalesBy By = SalesBy.Day, MovementKind? Kind = null, Guid? BatchId = null,
    ExpirySection Section = ExpirySection.Soon, int Days = Reports.DefaultExpiryDays)
{
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string key, object? value)
        {
            if (value is null) return;
            var text = value is IFormattable f ? f.ToString(key is "from" or "to" ? "yyyy-MM-dd" : null, CultureInfo.InvariantCulture) : value.ToString();
            if (!string.IsNullOrEmpty(text)) parts.Add($"{key}={Uri.EscapeDataString(text)}");
        }
        Add("outlet", Filter.OutletId);
        Add("from", Filter.From);
        Add("to", Filter.To);
        Add("product", Filter.ProductSearch);
        if (By != SalesBy.Day) Add("by", By.ToString().ToLowerInvariant());
        Add("kind", Kind?.ToString().ToLowerInvariant());
        Add("batch", BatchId);
        if (Section != ExpirySection.Soon) Add("section", Section.ToString().ToLowerInvariant());
        if (Days != Reports.DefaultExpiryDays) Add("days", Days);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>Reads the query string; a value that cannot be read is an error for its field, never silently ignored.</summary>
    public static ReportQuery Parse(IReadOnlyDictionary<string, string?> query)
    {
        var problems = new Problems();
        int? outlet = null;
        DateOnly? from = null, to = null;
        if (query.TryGetValue("outlet", out var o) && !string.IsNullOrEmpty(o))
        {
            if (int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) outlet = id;
            else problems.Add("outlet", "outlet must be an outlet id.");
        }
        DateOnly? Day(string key)
        {
            if (!query.TryGetValue(key, out var v) || string.IsNullOrEmpty(v)) return null;
            if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            problems.Add(key, $"{key} must be a date as yyyy-MM-dd.");
            return null;
        }
        from = Day("from");
        to = Day("to");
        T Choice<T>(string key, T fallback) where T : struct, Enum
        {
            if (!query.TryGetValue(key, out var v) || string.IsNullOrEmpty(v)) return fallback;
            if (Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e) && !int.TryParse(v, out _)) return e;
            problems.Add(key, $"{key} must be one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
            return fallback;
        }
        var by = Choice("by", SalesBy.Day);
        var section = Choice("section", ExpirySection.Soon);
        MovementKind? kind = query.TryGetValue("kind", out var k) && !string.IsNullOrEmpty(k) ? Choice("kind", MovementKind.Receipt) : null;
        Guid? batch = null;
        if (query.TryGetValue("batch", out var b) && !string.IsNullOrEmpty(b))
        {
            if (Guid.TryParse(b, out var g)) batch = g;
            else problems.Add("batch", "batch must be a batch id.");
        }
        var days = Reports.DefaultExpiryDays;
        if (query.TryGetValue("days", out var n) && !string.IsNullOrEmpty(n) && (!int.TryParse(n, out days) || days is < 1 or > 366))
            problems.Add("days", "days must be between 1 and 366.");
        if (from is { } f && to is { } t && t < f) problems.Add("to", "The last day is before the first day.");
        problems.ThrowIfAny("The report filter is not valid.");
        query.TryGetValue("product", out var product);
        return new ReportQuery(new ReportFilter(outlet, from, to, product), by, kind, batch, section, days);
    }
}
