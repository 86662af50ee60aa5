namespace BackOffice.Core.Sales;

/// <summary>What a till sold. <see cref="Id"/> is the till's saleId, the idempotency key.</summary>
public class Sale
{
    public Guid Id { get; set; }
    public int OutletId { get; set; }
    public int? TillId { get; set; }
    /// <summary>When the sale happened at the counter (UTC).</summary>
    public DateTime OccurredAt { get; set; }
    /// <summary>The till's UTC offset at the time, in minutes, to show local time on receipts.</summary>
    public int OccurredOffsetMinutes { get; set; }
    public DateTime RecordedAt { get; set; }
    /// <summary>What the customer paid: the lines' prices, plus their tax where the outlet's prices exclude it.</summary>
    public decimal Total { get; set; }
    /// <summary>The outlet's currency when the sale was recorded (ISO 4217).</summary>
    public string? Currency { get; set; }
    /// <summary>Hash of the request's content: a replay with another hash is a conflict.</summary>
    public required string ContentHash { get; set; }
    public List<SaleLine> Lines { get; set; } = [];
    public List<SalePayment> Payments { get; set; } = [];
}

public class SaleLine
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
    public int LineNumber { get; set; }
    public int ProductId { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public int Allocated { get; set; }
    public int Shortfall { get; set; }
    /// <summary>The product's tax category and the outlet's rate for it (percent) when the sale was recorded.</summary>
    public string TaxCategory { get; set; } = Catalog.TaxCategories.Standard;
    public decimal TaxRate { get; set; }
    /// <summary>The line's amount before tax and its tax, in the sale's currency (see <see cref="Tax"/>).</summary>
    public decimal Net { get; set; }
    public decimal Tax { get; set; }
    public List<Allocation> Allocations { get; set; } = [];
}

/// <summary>Units of a sale line taken from one batch.</summary>
public class Allocation
{
    public long Id { get; set; }
    public long SaleLineId { get; set; }
    public Guid BatchId { get; set; }
    public int Quantity { get; set; }
}

public class SalePayment
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
    public required string Method { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>Goods brought back to a till. <see cref="Id"/> is the till's returnId.</summary>
public class Return
{
    public Guid Id { get; set; }
    public Guid SaleId { get; set; }
    public int OutletId { get; set; }
    public int? TillId { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
    public string? Reason { get; set; }
    public required string ContentHash { get; set; }
    public List<ReturnLine> Lines { get; set; } = [];
}

public class ReturnLine
{
    public long Id { get; set; }
    public Guid ReturnId { get; set; }
    public int LineNumber { get; set; }
    public int ProductId { get; set; }
    public int Quantity { get; set; }
    /// <summary>The category and rate the sale charged the product at.</summary>
    public string TaxCategory { get; set; } = Catalog.TaxCategories.Standard;
    public decimal TaxRate { get; set; }
    /// <summary>What the line refunds before tax and its tax (its share of the sale's lines, see <see cref="Tax.Refund"/>).</summary>
    public decimal Net { get; set; }
    public decimal Tax { get; set; }
    public List<ReturnAllocation> Batches { get; set; } = [];
}

public class ReturnAllocation
{
    public long Id { get; set; }
    public long ReturnLineId { get; set; }
    public Guid BatchId { get; set; }
    public int Quantity { get; set; }
}
