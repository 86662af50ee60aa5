using System.Collections.Concurrent;
using System.Globalization;
using BackOffice.Core.Outlets;

namespace BackOffice.Web.Components;

/// <summary>
/// How the back-office writes money, quantities and dates: in the culture and time zone of the outlet in view (an outlet
/// filter chosen, a page about one outlet, a row of one), or else in the user's culture (the browser's languages, by
/// request localization) with times in UTC. The one place these formats are decided; the CSV exports stay invariant.
/// </summary>
public sealed class Formats
{
    /// <summary>Unit costs show the currency's decimals, and up to this many when the cost really has them.</summary>
    public const int MaxUnitCostDecimals = 4;

    /// <summary>The cultures request localization picks from (an outlet's own culture is used whatever this list holds).</summary>
    public static readonly string[] UserCultures = ["en-GB", "en-US", "fr-FR", "de-DE", "es-ES", "it-IT", "nl-NL"];

    private static readonly ConcurrentDictionary<string, string?> OwnCurrencies = new(StringComparer.Ordinal);

    private Formats(CultureInfo culture, TimeZoneInfo? zone)
    {
        Culture = culture;
        Zone = zone;
    }

    public CultureInfo Culture { get; }

    /// <summary>The time zone times are written in; null for UTC (no outlet in view).</summary>
    public TimeZoneInfo? Zone { get; }

    /// <summary>The user's culture (the circuit's, from the browser's languages), times in UTC.</summary>
    public static Formats User => new(CultureInfo.CurrentCulture, null);

    /// <summary>An outlet's culture and time zone; an outlet without a culture yet is written in the user's.</summary>
    public static Formats ForOutlet(string? culture, string? timeZoneId)
    {
        var info = CultureInfo.CurrentCulture;
        if (!string.IsNullOrEmpty(culture))
        {
            try { info = CultureInfo.GetCultureInfo(culture); }
            catch (CultureNotFoundException) { }
        }
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrEmpty(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var z)) zone = z;
        return new Formats(info, zone);
    }

    /// <summary>An amount with its currency, to the currency's minor unit (2 for GBP, 0 for JPY): "£1,234.50", "1 234,50 €".</summary>
    public string Money(decimal amount, string currency) => Amount(amount, currency, OutletMoney.MinorUnit(currency));

    public string Money(CurrencyAmount money) => Money(money.Amount, money.Currency);

    /// <summary>Totals per currency, side by side ("£12.00 · 8,00 €"); nothing at all is written as zero in the culture's currency.</summary>
    public string Money(IReadOnlyList<CurrencyAmount> totals) =>
        totals.Count == 0 ? Money(0, CurrencyOf(Culture.Name) ?? BaseCurrency.Default) : string.Join(" · ", totals.Select(Money));

    /// <summary>A unit cost: like <see cref="Money(decimal, string)"/>, with more decimals (up to 4) only where the cost has them.</summary>
    public string UnitCost(decimal amount, string currency)
    {
        var digits = OutletMoney.MinorUnit(currency);
        while (digits < MaxUnitCostDecimals && decimal.Round(amount, digits) != amount) digits++;
        return Amount(amount, currency, digits);
    }

    /// <summary>A count of units, batches or lines, with thousands separators.</summary>
    public string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A signed change of units (+3, −2, 0), with thousands separators.</summary>
    public string Change(long value) => value > 0 ? "+" + Count(value) : Count(value);

    /// <summary>A number with one decimal (days of cover, a percentage).</summary>
    public string OneDecimal(decimal value) => value.ToString("N1", Culture);

    /// <summary>A calendar day, in the culture's short date ("01/12/2026" in en-GB, "12/1/2026" in en-US).</summary>
    public string Date(DateOnly day) => day.ToString(DatePattern, Culture);

    public string Date(DateOnly? day) => day is { } d ? Date(d) : "";

    /// <summary>A day, or <paramref name="none"/> ("no expiry") when there is none.</summary>
    public string Date(DateOnly? day, string none) => day is { } d ? Date(d) : none;

    /// <summary>The local day of a UTC instant (a revocation, a closing).</summary>
    public string Date(DateTime utc) =>
        Date(DateOnly.FromDateTime(Zone is null ? utc : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone)));

    /// <summary>A short day and month for chart labels ("1 Dec").</summary>
    public string DayAndMonth(DateOnly day) => day.ToString("d MMM", Culture);

    /// <summary>A UTC instant as the outlet's local date and time, or in UTC (and saying so) when no outlet is in view.</summary>
    public string Time(DateTime utc)
    {
        var at = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return Zone is null ? at.ToString("g", Culture) + " UTC" : TimeZoneInfo.ConvertTimeFromUtc(at, Zone).ToString("g", Culture);
    }

    public string Time(DateTime? utc) => utc is { } t ? Time(t) : "";

    /// <summary>An instant, or <paramref name="none"/> ("never") when there is none.</summary>
    public string Time(DateTime? utc, string none) => utc is { } t ? Time(t) : none;

    /// <summary>A UTC instant in UTC, for columns whose header says so.</summary>
    public string UtcTime(DateTime utc) => utc.ToString("g", Culture);

    /// <summary>The pattern date inputs read and write (dd/MM/yyyy in en-GB).</summary>
    public string DatePattern => Culture.DateTimeFormat.ShortDatePattern;

    /// <summary>The ISO 4217 currency of a culture's region ("GBP" for en-GB), or null for a culture without a region.</summary>
    public static string? CurrencyOf(string culture) => OwnCurrencies.GetOrAdd(culture, CurrencyOfRegion);

    private static string? CurrencyOfRegion(string culture)
    {
        try { return culture.Length == 0 ? null : new RegionInfo(culture).ISOCurrencySymbol; }
        catch (ArgumentException) { return null; }
    }

    // The culture's own currency takes its symbol (£, €, $); another currency is written by its ISO code, set apart by a
    // space ("EUR 1,234.50" in en-GB), since a bare "$" or "kr" would not say which currency it is.
    private string Amount(decimal amount, string currency, int digits)
    {
        var number = (NumberFormatInfo)Culture.NumberFormat.Clone();
        number.CurrencyDecimalDigits = digits;
        if (!string.Equals(CurrencyOf(Culture.Name), currency, StringComparison.Ordinal))
        {
            number.CurrencySymbol = currency;
            number.CurrencyPositivePattern = number.CurrencyPositivePattern switch { 0 => 2, 1 => 3, var p => p };
            number.CurrencyNegativePattern = number.CurrencyNegativePattern switch
            {
                0 => 14,
                1 => 9,
                2 => 12,
                3 => 11,
                4 => 15,
                5 => 8,
                6 => 13,
                7 => 10,
                var p => p,
            };
        }
        // A no-break space between amount and symbol: "1 234,50" never ends one line with "€" on the next.
        return amount.ToString("C", number).Replace(' ', '\u00A0');
    }
}
