namespace BackOffice.Core.Inventory;

/// <summary>A delivery received at an outlet; its batches' receipt movements reference it.</summary>
public class Receipt
{
    public Guid Id { get; set; }
    public int OutletId { get; set; }
    public string? Reference { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string? ReceivedBy { get; set; }
}

/// <summary>Stock moved from one outlet to another; its movements reference it.</summary>
public class Transfer
{
    public Guid Id { get; set; }
    public int FromOutletId { get; set; }
    public int ToOutletId { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public string? Note { get; set; }
}

/// <summary>Something managers must look at: a till sold more than recorded stock, or a return could not be taken back.</summary>
public class Discrepancy
{
    public long Id { get; set; }
    public int OutletId { get; set; }
    public int ProductId { get; set; }
    public DiscrepancyKind Kind { get; set; }
    public int Quantity { get; set; }
    public string? Reference { get; set; }
    public DateTime CreatedAt { get; set; }
    public DiscrepancyStatus Status { get; set; } = DiscrepancyStatus.Open;
    public string? Note { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
}

public enum DiscrepancyKind { SaleShortfall = 1, ReturnRejected = 2, RecalledLotSold = 3, ExpiredLotSold = 4 }

/// <summary>A discrepancy's kind as api.md names it and as a manager reads it.</summary>
public static class DiscrepancyKinds
{
    public static string Name(DiscrepancyKind kind) => kind switch
    {
        DiscrepancyKind.SaleShortfall => "sale-shortfall",
        DiscrepancyKind.ReturnRejected => "return-rejected",
        DiscrepancyKind.RecalledLotSold => "recalled-lot-sold",
        DiscrepancyKind.ExpiredLotSold => "expired-lot-sold",
        _ => kind.ToString(),
    };

    public static string Text(DiscrepancyKind kind) => kind switch
    {
        DiscrepancyKind.SaleShortfall => "Sold beyond stock",
        DiscrepancyKind.ReturnRejected => "Return not taken back",
        DiscrepancyKind.RecalledLotSold => "Recalled lot sold",
        DiscrepancyKind.ExpiredLotSold => "Expired lot sold",
        _ => kind.ToString(),
    };
}
public enum DiscrepancyStatus { Open = 0, Investigated = 1, Resolved = 2 }
