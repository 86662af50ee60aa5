namespace BackOffice.Core.Outlets;

/// <summary>
/// A shop or warehouse. Its time zone decides when its stock expires; its currency, culture and tax rates how its
/// receipts are written. A closed outlet (<see cref="ClosedAt"/>) keeps its history and takes no new tills or receipts.
/// </summary>
public class Outlet
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA time zone id, e.g. "Europe/Paris".</summary>
    public required string TimeZoneId { get; set; }
    public OutletKind Kind { get; set; } = OutletKind.Shop;
    /// <summary>Postal address, as printed on receipts (lines separated by new lines).</summary>
    public string? Address { get; set; }
    /// <summary>ISO 4217 code, e.g. "GBP". Required for outlets made or edited since it existed; null on older rows until edited.</summary>
    public string? Currency { get; set; }
    /// <summary>.NET culture name, e.g. "en-GB". Required like <see cref="Currency"/>; null on older rows until edited.</summary>
    public string? Culture { get; set; }
    /// <summary>Whether shelf prices include tax (Europe) or tax is added at the till (the US).</summary>
    public bool PricesIncludeTax { get; set; }
    /// <summary>When the outlet was closed (UTC); null while it trades.</summary>
    public DateTime? ClosedAt { get; set; }
    public List<OutletTaxRate> TaxRates { get; set; } = [];

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
}

public enum OutletKind { Shop = 0, Warehouse = 1 }

/// <summary>The tax rate of one tax category at one outlet, e.g. ("medicines", 5.50).</summary>
public class OutletTaxRate
{
    public int OutletId { get; set; }
    /// <summary>Lower-case category name, unique per outlet.</summary>
    public required string Category { get; set; }
    /// <summary>Percent, 0–100, up to three decimals (New York City's sales tax is 8.875%).</summary>
    public decimal RatePercent { get; set; }
}
