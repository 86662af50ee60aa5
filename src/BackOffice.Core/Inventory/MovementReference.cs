namespace BackOffice.Core.Inventory;

/// <summary>
/// What caused a movement (or a discrepancy): the kind of document and its id, written <c>kind:id</c> in the ledger
/// (<c>sale:7b0c…</c>, <c>stocktake:12</c>). Made and read here only, so a page links a ledger line to its document by kind.
/// </summary>
public readonly record struct MovementReference(string Kind, string Id)
{
    public const string SaleKind = "sale", ReturnKind = "return", ReceiptKind = "receipt", TransferKind = "transfer",
        StockTakeKind = "stocktake", AdjustmentKind = "adjustment", ExpiryKind = "expiry", DisposalKind = "disposal", RecallKind = "lot";

    public static MovementReference Sale(Guid saleId) => new(SaleKind, saleId.ToString("D"));
    public static MovementReference Return(Guid returnId) => new(ReturnKind, returnId.ToString("D"));
    public static MovementReference Receipt(Guid receiptId) => new(ReceiptKind, receiptId.ToString("D"));
    public static MovementReference Transfer(Guid transferId) => new(TransferKind, transferId.ToString("D"));
    public static MovementReference Disposal(Guid disposalId) => new(DisposalKind, disposalId.ToString("D"));
    public static MovementReference StockTake(int stockTakeId) => new(StockTakeKind, stockTakeId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static MovementReference Adjustment(AdjustmentReason reason) => new(AdjustmentKind, reason.ToString().ToLowerInvariant());
    /// <summary>One expiry run, by the minute it ran (UTC).</summary>
    public static MovementReference Expiry(DateTime atUtc) => new(ExpiryKind, atUtc.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture) + "Z");

    /// <summary>A recall or release of a lot, by the lot's id (its status row).</summary>
    public static MovementReference Recall(int lotId) => new(RecallKind, lotId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => Kind + ":" + Id;

    /// <summary>
    /// The reference as a manager reads it: a document's kind and the start of its id ("Sale 7b0c1a2b…", "Stock take #12",
    /// "Adjustment: damaged"); the full id stays in <see cref="ToString"/> and the CSV.
    /// </summary>
    public string Text => Kind switch
    {
        SaleKind => "Sale " + Start(Id),
        ReturnKind => "Return " + Start(Id),
        ReceiptKind => "Receipt " + Start(Id),
        TransferKind => "Transfer " + Start(Id),
        StockTakeKind => "Stock take #" + Id,
        AdjustmentKind => "Adjustment: " + Id,
        ExpiryKind => "Expiry run " + Id,
        DisposalKind => "Disposal " + Start(Id),
        RecallKind => "Lot status #" + Id,
        _ => ToString(),
    };

    /// <summary>The document's id when it is a uuid (sales, returns, receipts, transfers, disposals).</summary>
    public Guid? DocumentId => Guid.TryParse(Id, out var id) ? id : null;

    private static string Start(string id) => id.Length > 8 ? id[..8] + "…" : id;

    /// <summary>The reference of a ledger line, or null for none or one not written by this type (demo data, older rows).</summary>
    public static MovementReference? Parse(string? text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        return colon > 0 && colon < text!.Length - 1 ? new MovementReference(text[..colon], text[(colon + 1)..]) : null;
    }
}

/// <summary>Who made a movement: the signed-in user, the till it was rung up on (a till's own sales have no user), or both.</summary>
public static class MovementBy
{
    public static string? Name(string? userName, string? tillName) => (userName, tillName) switch
    {
        (null, null) => null,
        (_, null) => userName,
        (null, _) => tillName,
        _ => $"{userName} at {tillName}",
    };
}
