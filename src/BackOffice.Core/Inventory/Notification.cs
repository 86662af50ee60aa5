using BackOffice.Core.Outlets;

namespace BackOffice.Core.Inventory;

/// <summary>
/// A stock alert for managers: one per (outlet, kind, day) — the day is the outlet's own date — however often the
/// check runs that day (a rerun updates it). It summarises, it does not list every product.
/// </summary>
public class Notification
{
    public int Id { get; set; }
    public int OutletId { get; set; }
    public Outlet Outlet { get; set; } = null!;
    public NotificationKind Kind { get; set; }
    /// <summary>The outlet's date the alert is for.</summary>
    public DateOnly Day { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    /// <summary>How many batches (near expiry, expired) or products (low stock) the alert is about.</summary>
    public int Count { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When a manager marked it read; null while unread. A rerun with other figures makes it unread again.</summary>
    public DateTime? ReadAt { get; set; }
}

public enum NotificationKind
{
    NearExpiry = 1,
    LowStock = 2,
    /// <summary>Batches that expired and must leave the shelf (the expiry job, on the outlet's disposal list).</summary>
    Expired = 3,
}
