namespace BackOffice.Core.Inventory;

/// <summary>
/// What caused a movement (or a discrepancy): the kind of document and its id, written <c>kind:id</c> in the ledger
/// (<c>sale:7b0c…</c>, <c>stocktake:12</c>). Made and read here only, so a page links a ledger line to its document by kind.
/// </summary>
public readonly record struct MovementReference(string Kind, string Id)
{
    public const string SaleKind = "sale", ReturnKind = "return", ReceiptKind = "receipt", TransferKind = "transfer",
        StockTakeKind = "stocktake", AdjustmentKind = "adjustment", ExpiryKind = "expiry";

    public static MovementReference Sale(Guid saleId) => new(SaleKind, saleId.ToString("D"));
    public static MovementReference Return(Guid returnId) => new(ReturnKind, returnId.ToString("D"));
    public static MovementReference Receipt(Guid receiptId) => new(ReceiptKind, receiptId.ToString("D"));
    public static MovementReference Transfer(Guid transferId) => new(TransferKind, transferId.ToString("D"));
    public static MovementReference StockTake(int stockTakeId) => new(StockTakeKind, stockTakeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static MovementReference Adjustment(AdjustmentReason reason) => new(AdjustmentKind, reason.ToString().ToLowerInvariant());
    /// <summary>One expiry run, by the minute it ran (UTC).</summary>
    public static MovementReference Expiry(DateTime atUtc) => new(ExpiryKind, atUtc.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture) + "Z");

    public override string ToString() => Kind + ":" + Id;

    /// <summary>The reference of a ledger line, or null for none or one not written by this type (demo data, older rows).</summary>
    public static MovementReference? Parse(string? text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        return colon > 0 && colon < text!.Length - 1 ? new MovementReference(text[..colon], text[(colon + 1)..]) : null;
    }
}
