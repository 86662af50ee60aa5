namespace BackOffice.Core.Outlets;

/// <summary>A shop or warehouse. Its time zone decides when its stock expires.</summary>
public class Outlet
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA time zone id, e.g. "Europe/Paris".</summary>
    public required string TimeZoneId { get; set; }
    public OutletKind Kind { get; set; } = OutletKind.Shop;

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
}

public enum OutletKind { Shop = 0, Warehouse = 1 }
