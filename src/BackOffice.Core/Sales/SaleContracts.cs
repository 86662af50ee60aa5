namespace BackOffice.Core.Sales;

public sealed record SaleRequest(Guid SaleId, DateTimeOffset OccurredAt, IReadOnlyList<SaleLineRequest> Lines, IReadOnlyList<PaymentRequest>? Payments = null);

/// <summary>A line as the till sold it; <paramref name="LotNumber"/> is the lot the till scanned (GS1), allocated first.</summary>
public sealed record SaleLineRequest(string Sku, int Quantity, decimal UnitPrice, string? LotNumber = null);

public sealed record PaymentRequest(string Method, decimal Amount);

/// <summary>A recorded sale: <paramref name="Taxes"/> has one row per rate used (api.md, "Money").</summary>
public sealed record SaleResult(Guid SaleId, string Status, decimal Total, IReadOnlyList<SaleLineResult> Lines, string? Currency, IReadOnlyList<TaxRow> Taxes);

public sealed record SaleLineResult(string Sku, int Quantity, int Allocated, int Shortfall, IReadOnlyList<AllocationResult> Allocations);

public sealed record AllocationResult(Guid BatchId, string? LotNumber, DateOnly? ExpiryDate, int Quantity);

/// <summary>The recorded sale and whether this call recorded it (false: a replay of the same saleId).</summary>
public sealed record SaleOutcome(SaleResult Sale, bool Created);

public sealed record ReturnRequest(Guid ReturnId, Guid SaleId, DateTimeOffset OccurredAt, IReadOnlyList<ReturnLineRequest> Lines, string? Reason = null);

public sealed record ReturnLineRequest(string Sku, int Quantity);

/// <summary>A recorded return: <paramref name="Total"/> is what it refunds, <paramref name="Taxes"/> the tax it takes back per rate.</summary>
public sealed record ReturnResult(Guid ReturnId, Guid SaleId, string Status, IReadOnlyList<ReturnLineResult> Lines, decimal Total, string? Currency, IReadOnlyList<TaxRow> Taxes);

public sealed record ReturnLineResult(string Sku, int Quantity, IReadOnlyList<ReturnedBatch> Batches);

public sealed record ReturnedBatch(Guid BatchId, int Quantity);

public sealed record ReturnOutcome(ReturnResult Return, bool Created);

public static class Money
{
    /// <summary>Two decimals, always with scale 2, so that a first answer and its replay serialize the same.</summary>
    public static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
