using System.Globalization;
using System.Text.RegularExpressions;

namespace BackOffice.Core.Outlets;

/// <summary>What an outlet form holds (the outlets page, the first-run setup).</summary>
public sealed class OutletForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? TimeZoneId { get; set; }
    public string? Currency { get; set; }
    public string? Culture { get; set; }
    public bool PricesIncludeTax { get; set; } = true;
    public List<TaxRateForm> TaxRates { get; set; } = [];

    public OutletForm Copy() => new()
    {
        Code = Code, Name = Name, Address = Address, TimeZoneId = TimeZoneId, Currency = Currency, Culture = Culture, PricesIncludeTax = PricesIncludeTax,
        TaxRates = TaxRates.Select(r => new TaxRateForm { Category = r.Category, RatePercent = r.RatePercent }).ToList(),
    };
}

public sealed class TaxRateForm
{
    public string? Category { get; set; }
    public decimal? RatePercent { get; set; }
}

/// <summary>The checks of an outlet's fields, keyed as the form shows them ("code", "taxRates[1].ratePercent").</summary>
public static partial class OutletRules
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{0,31}$")]
    private static partial Regex CodePattern();

    /// <summary>ISO 4217 codes of the currencies of every region .NET knows (ICU), e.g. GBP, EUR, USD, CHF, JPY.</summary>
    public static readonly IReadOnlySet<string> Currencies = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .Where(s => s is { Length: 3 } && s.All(char.IsAsciiLetterUpper)).Select(s => s!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The time zones of this machine that have an IANA id, for the picker.</summary>
    public static IReadOnlyList<string> TimeZoneIds { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.HasIanaId ? z.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : null)
        .Where(id => id is not null).Select(id => id!).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Specific cultures, for the picker (e.g. en-GB, fr-FR).</summary>
    public static IReadOnlyList<string> CultureNames { get; } = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => c.Name).Where(n => n.Length > 0).Order(StringComparer.Ordinal).ToList();

    /// <summary>Checks <paramref name="form"/> and normalizes it (trimmed; code and currency upper-case; zone, culture and categories canonical).</summary>
    public static void Check(OutletForm form, Problems problems, string prefix = "", bool checkCode = true)
    {
        if (checkCode)
        {
            form.Code = form.Code?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(form.Code)) problems.Add(prefix + "code", "Give the outlet a code, e.g. \"LDN-02\".");
            else if (!CodePattern().IsMatch(form.Code))
                problems.Add(prefix + "code", "A code is 1 to 32 letters, digits, '-' or '_', starting with a letter or digit.");
        }

        form.Name = form.Name?.Trim();
        if (string.IsNullOrEmpty(form.Name)) problems.Add(prefix + "name", "Name the outlet, e.g. \"Camden High Street Pharmacy\".");
        else if (form.Name.Length > 256) problems.Add(prefix + "name", "The name is at most 256 characters.");

        form.Address = string.IsNullOrWhiteSpace(form.Address) ? null : form.Address.Trim();
        if (form.Address is { Length: > 500 }) problems.Add(prefix + "address", "The address is at most 500 characters.");

        form.TimeZoneId = form.TimeZoneId?.Trim();
        if (string.IsNullOrEmpty(form.TimeZoneId)) problems.Add(prefix + "timeZoneId", "Choose the outlet's time zone, e.g. \"Europe/London\".");
        else if (IanaZone(form.TimeZoneId) is { } zone) form.TimeZoneId = zone;
        else problems.Add(prefix + "timeZoneId", $"'{form.TimeZoneId}' is not a known time zone: use an IANA id such as \"Europe/Paris\".");

        form.Currency = form.Currency?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(form.Currency)) problems.Add(prefix + "currency", "Choose the outlet's currency (ISO 4217, e.g. GBP).");
        else if (!Currencies.Contains(form.Currency)) problems.Add(prefix + "currency", $"'{form.Currency}' is not an ISO 4217 currency code such as GBP, EUR or USD.");

        form.Culture = form.Culture?.Trim();
        if (string.IsNullOrEmpty(form.Culture)) problems.Add(prefix + "culture", "Choose how amounts and dates are written, e.g. \"en-GB\".");
        else if (KnownCulture(form.Culture) is { } culture) form.Culture = culture;
        else problems.Add(prefix + "culture", $"'{form.Culture}' is not a culture name such as en-GB or fr-FR.");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < form.TaxRates.Count; i++)
        {
            var rate = form.TaxRates[i];
            var field = $"{prefix}taxRates[{i}].";
            rate.Category = Catalog.TaxCategories.Canonical(rate.Category);
            if (Catalog.TaxCategories.Problem(rate.Category) is { } categoryProblem) problems.Add(field + "category", categoryProblem);
            else if (!seen.Add(rate.Category)) problems.Add(field + "category", $"'{rate.Category}' is listed twice.");
            if (rate.RatePercent is not { } percent) problems.Add(field + "ratePercent", "Give the rate in percent, e.g. 20.");
            else if (percent is < 0 or > 100) problems.Add(field + "ratePercent", "A rate is between 0 and 100 percent.");
            else if (decimal.Round(percent, 3) != percent) problems.Add(field + "ratePercent", "A rate has at most three decimals, e.g. 5.5 or 8.875.");
        }
    }

    /// <summary>The IANA id of a zone this machine knows, or null.</summary>
    public static string? IanaZone(string id)
    {
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            if (zone.HasIanaId) return zone.Id;
            return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : null;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The canonical name of a predefined, non-invariant culture, or null.</summary>
    public static string? KnownCulture(string name)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture.Name.Length == 0 ? null : culture.Name;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
