namespace BackOffice.Core.Lots;

/// <summary>
/// One (product, lot number) across every outlet, once somebody has given it a status. A lot nobody has recalled needs no
/// row: it is active. Every batch of a recalled lot is quarantined (<see cref="Inventory.Batch.Quarantined"/>).
/// </summary>
public class Lot
{
    public int Id { get; set; }
    public int ProductId { get; set; }
    public string LotNumber { get; set; } = "";
    public LotStatus Status { get; set; }
    /// <summary>Why it was last recalled or released, as the manager or the regulator said it.</summary>
    public string Reason { get; set; } = "";
    public DateTime ChangedAt { get; set; }
    public string? ChangedBy { get; set; }
}

public enum LotStatus { Active = 0, Recalled = 1 }
