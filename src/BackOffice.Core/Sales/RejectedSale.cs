namespace BackOffice.Core.Sales;

public enum RejectedSaleStatus { Open = 0, Recorded = 1, WrittenOff = 2 }

/// <summary>
/// A sale a till made that the server could not record, kept exactly as the till sent it with the reason, until a manager
/// records it (after a fix) or writes it off. Once the server holds it the till may forget it, so nothing a till sold is lost.
/// One row per (saleId, content): the same payload sent again is the same row.
/// </summary>
public class RejectedSale
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
    public int OutletId { get; set; }
    public int? TillId { get; set; }
    /// <summary>The till's JSON of this one sale, as received.</summary>
    public required string Payload { get; set; }
    /// <summary>SHA-256 of <see cref="Payload"/>: with <see cref="SaleId"/>, what makes a second submission the same one.</summary>
    public required string PayloadHash { get; set; }
    /// <summary>Where it came from: <c>sync</c>, <c>direct</c> (POST /api/till/sales) or <c>import</c> (a till's export file).</summary>
    public required string Source { get; set; }
    /// <summary>The problem's title, e.g. "The sale is not valid."</summary>
    public required string Reason { get; set; }
    /// <summary>The problem's field errors as JSON (<c>{"lines[0].sku":["Product 'X' is inactive."]}</c>), or null.</summary>
    public string? Errors { get; set; }
    public int ProblemStatus { get; set; }
    public DateTime ReceivedAt { get; set; }
    public RejectedSaleStatus Status { get; set; }
    public DateTime? SettledAt { get; set; }
    public string? SettledBy { get; set; }
    /// <summary>The write-off reason, or what was corrected when it was recorded.</summary>
    public string? SettlementNote { get; set; }
}
