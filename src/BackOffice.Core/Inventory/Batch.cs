using BackOffice.Core.Catalog;
using BackOffice.Core.Outlets;

namespace BackOffice.Core.Inventory;

/// <summary>One lot of one product at one outlet: the source of truth for stock.</summary>
public class Batch
{
    public Guid Id { get; set; }
    public int OutletId { get; set; }
    public Outlet Outlet { get; set; } = null!;
    public int ProductId { get; set; }
    public Product Product { get; set; } = null!;
    public string? LotNumber { get; set; }
    /// <summary>Last day the lot may be sold, in the outlet's time zone; null when the product does not track expiry.</summary>
    public DateOnly? ExpiryDate { get; set; }
    public int QuantityReceived { get; set; }
    public int OnHand { get; set; }
    public decimal UnitCost { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>
    /// Its lot is recalled: the packs stay on hand until disposed of, but are never sellable. Kept equal to the lot's
    /// status by <see cref="Lots.LotRecalls"/>, so that the sellable rule reads one column of the batch.
    /// </summary>
    public bool Quarantined { get; set; }
    /// <summary>
    /// When the expiry job marked the batch, expired with units on hand, for the disposal list (its 0-unit Expiry line); null
    /// until then. A filtered index holds the batches on hand without it, so that a run finds what newly expired without
    /// reading what it marked before (however long the disposal lists are).
    /// </summary>
    public DateTime? ExpiryMarkedAt { get; set; }
    /// <summary>Bumped by every write of <see cref="OnHand"/>; two writers from the same read cannot both win.</summary>
    public int Version { get; set; }
}
