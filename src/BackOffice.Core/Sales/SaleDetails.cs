using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Sales;

public sealed record SaleDetail(Guid Id, string OutletCode, string OutletName, string? TillName, DateTime OccurredAt, int OccurredOffsetMinutes,
    DateTime RecordedAt, decimal Total, IReadOnlyList<SaleDetailLine> Lines, IReadOnlyList<SaleDetailPayment> Payments, IReadOnlyList<SaleDetailReturn> Returns)
{
    /// <summary>The time at the counter, in the till's own offset then.</summary>
    public DateTimeOffset OccurredLocal => new DateTimeOffset(OccurredAt, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(OccurredOffsetMinutes));
}

public sealed record SaleDetailLine(int LineNumber, string Sku, string ProductName, int Quantity, decimal UnitPrice, int Shortfall,
    IReadOnlyList<SaleDetailAllocation> Allocations)
{
    public decimal Amount => Quantity * UnitPrice;
}

/// <summary>Units of a line taken from one batch.</summary>
public sealed record SaleDetailAllocation(Guid BatchId, string? LotNumber, DateOnly? ExpiryDate, int Quantity);

public sealed record SaleDetailPayment(string Method, decimal Amount);

public sealed record SaleDetailReturn(Guid Id, DateTime OccurredAt, string? Reason, int Quantity);

/// <summary>One recorded sale as the sale page shows it: five queries, however many lines, batches and returns it has.</summary>
public sealed class SaleDetails(BackOfficeDb db)
{
    public async Task<SaleDetail?> FindAsync(Guid saleId, CancellationToken ct = default)
    {
        var head = await (from s in db.Sales
                          where s.Id == saleId
                          join o in db.Outlets on s.OutletId equals o.Id
                          select new
                          {
                              s.Id, o.Code, o.Name, Till = db.Tills.Where(t => t.Id == s.TillId).Select(t => t.Name).FirstOrDefault(),
                              s.OccurredAt, s.OccurredOffsetMinutes, s.RecordedAt, s.Total,
                          }).FirstOrDefaultAsync(ct);
        if (head is null) return null;

        var lines = await (from l in db.SaleLines
                           where l.SaleId == saleId
                           join p in db.Products on l.ProductId equals p.Id
                           orderby l.LineNumber
                           select new { l.LineNumber, p.Sku, p.Name, l.Quantity, l.UnitPrice, l.Shortfall }).ToListAsync(ct);
        var allocations = await (from a in db.Allocations
                                 join l in db.SaleLines on a.SaleLineId equals l.Id
                                 where l.SaleId == saleId
                                 join b in db.Batches on a.BatchId equals b.Id
                                 orderby l.LineNumber, a.Id
                                 select new { l.LineNumber, Allocation = new SaleDetailAllocation(a.BatchId, b.LotNumber, b.ExpiryDate, a.Quantity) })
            .ToListAsync(ct);
        var payments = await db.SalePayments.Where(p => p.SaleId == saleId).OrderBy(p => p.Id)
            .Select(p => new SaleDetailPayment(p.Method, p.Amount)).ToListAsync(ct);
        var returns = await db.Returns.Where(r => r.SaleId == saleId).OrderBy(r => r.OccurredAt)
            .Select(r => new SaleDetailReturn(r.Id, r.OccurredAt, r.Reason, r.Lines.Sum(l => l.Quantity))).ToListAsync(ct);

        var byLine = allocations.ToLookup(a => a.LineNumber, a => a.Allocation);
        return new SaleDetail(head.Id, head.Code, head.Name, head.Till, head.OccurredAt, head.OccurredOffsetMinutes, head.RecordedAt, head.Total,
            lines.Select(l => new SaleDetailLine(l.LineNumber, l.Sku, l.Name, l.Quantity, l.UnitPrice, l.Shortfall, byLine[l.LineNumber].ToList())).ToList(),
            payments, returns);
    }

    /// <summary>The sale a return brought goods back from, or null for an unknown return.</summary>
    public Task<Guid?> SaleOfReturnAsync(Guid returnId, CancellationToken ct = default) =>
        db.Returns.Where(r => r.Id == returnId).Select(r => (Guid?)r.SaleId).FirstOrDefaultAsync(ct);
}
