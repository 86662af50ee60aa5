namespace BackOffice.Core.Inventory;

/// <summary>The append-only ledger: every change of a batch quantity writes one.</summary>
public class StockMovement
{
    public long Id { get; set; }
    public Guid BatchId { get; set; }
    public Batch Batch { get; set; } = null!;
    /// <summary>Copied from the batch for indexing; set only by <see cref="For"/> or set-based SQL that reads the batch.</summary>
    public int OutletId { get; private set; }
    /// <summary>Copied from the batch for indexing, as <see cref="OutletId"/>.</summary>
    public int ProductId { get; private set; }
    public MovementKind Kind { get; set; }
    /// <summary>Signed: positive into the batch, negative out of it.</summary>
    public int Quantity { get; set; }
    /// <summary>What caused it, as <see cref="MovementReference"/> writes it: "sale:7b0c…", "receipt:…", "stocktake:12".</summary>
    public string? Reference { get; set; }
    public string? Note { get; set; }
    public string? UserName { get; set; }
    public int? TillId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The one place a movement gets its outlet and product: from the batch it moves.</summary>
    public static StockMovement For(Batch batch, MovementKind kind, int quantity, DateTime at, string? reference,
        string? userName = null, int? tillId = null, string? note = null) =>
        batch.OutletId == 0 || batch.ProductId == 0
            ? throw new InvalidOperationException("The batch has no outlet or product id yet: save them before writing its movement.")
            : For(batch.Id, batch.OutletId, batch.ProductId, kind, quantity, at, reference, userName, tillId, note);

    public static StockMovement For(Guid batchId, int outletId, int productId, MovementKind kind, int quantity, DateTime at,
        string? reference, string? userName = null, int? tillId = null, string? note = null) => new()
        {
            BatchId = batchId,
            OutletId = outletId,
            ProductId = productId,
            Kind = kind,
            Quantity = quantity,
            CreatedAt = at,
            Reference = reference,
            UserName = userName,
            TillId = tillId,
            Note = note,
        };
}

public enum MovementKind
{
    Receipt = 1,
    Sale = 2,
    Adjustment = 3,
    TransferOut = 4,
    TransferIn = 5,
    Expiry = 6,
    StockTake = 7,
    Return = 8,
    /// <summary>Expired or recalled units leaving the shop: returned to the supplier or destroyed (<see cref="DisposalService"/>).</summary>
    Disposal = 9,
    /// <summary>The batch's lot was recalled: no units move (quantity 0), the ledger shows when and why.</summary>
    Recall = 10,
    /// <summary>The batch's lot was released from a recall (quantity 0).</summary>
    Release = 11,
}
