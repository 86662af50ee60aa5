namespace BackOffice.Core.Inventory;

public sealed record ReceiveGoods(string OutletCode, string? Reference, IReadOnlyList<ReceiveLine> Lines);

public sealed record ReceiveLine(string Sku, string? LotNumber, DateOnly? ExpiryDate, int Quantity, decimal UnitCost);

public sealed record ReceiptResult(Guid ReceiptId, IReadOnlyList<ReceivedBatch> Batches);

public sealed record ReceivedBatch(Guid BatchId, string Sku, string? LotNumber, DateOnly? ExpiryDate, int Quantity);

public enum AdjustmentReason { Damage = 1, Theft = 2, Found = 3, Correction = 4 }

public sealed record TransferGoods(string FromOutletCode, string ToOutletCode, IReadOnlyList<TransferLine> Lines, string? Note = null);

public sealed record TransferLine(string Sku, int Quantity);

/// <summary>Units of one batch that move (or would move) from the source outlet.</summary>
public sealed record TransferredBatch(string Sku, Guid FromBatchId, Guid ToBatchId, string? LotNumber, DateOnly? ExpiryDate, int Quantity);

public sealed record TransferResult(Guid TransferId, IReadOnlyList<TransferredBatch> Batches);
