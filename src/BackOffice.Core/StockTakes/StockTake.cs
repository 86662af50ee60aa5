namespace BackOffice.Core.StockTakes;

/// <summary>A count of one outlet, all or some products. Opening it snapshots expected quantities per batch.</summary>
public class StockTake
{
    public int Id { get; set; }
    public int OutletId { get; set; }
    public StockTakeStatus Status { get; set; } = StockTakeStatus.Open;
    /// <summary>Counters do not see the expected quantities.</summary>
    public bool Blind { get; set; }
    public string? Note { get; set; }
    public DateTime OpenedAt { get; set; }
    public string? OpenedBy { get; set; }
    /// <summary>Time of the expected-quantity snapshot; movements after it mean stock moved during the count.</summary>
    public DateTime SnapshotAt { get; set; }
    public DateTime? PostedAt { get; set; }
    public string? PostedBy { get; set; }
    public List<StockTakeLine> Lines { get; set; } = [];
}

/// <summary>Expected and counted quantity of one product, per lot, or per product where no lot is known (BatchId null).</summary>
public class StockTakeLine
{
    public long Id { get; set; }
    public int StockTakeId { get; set; }
    public int ProductId { get; set; }
    public Guid? BatchId { get; set; }
    public int Expected { get; set; }
    public int? Counted { get; set; }
    public bool NeedsRecount { get; set; }
    public DateTime? CountedAt { get; set; }
}

public enum StockTakeStatus { Open = 0, Posted = 1, Cancelled = 2 }
