using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

/// <summary>A batch a document moved, from its movement.</summary>
public sealed record DocumentLine(string OutletCode, string Sku, string ProductName, Guid BatchId, string? LotNumber, DateOnly? ExpiryDate,
    MovementKind Kind, int Quantity, decimal UnitCost);

public sealed record ReceiptDetail(Guid Id, string OutletCode, string OutletName, string? Reference, DateTime ReceivedAt, string? ReceivedBy,
    IReadOnlyList<DocumentLine> Lines);

public sealed record TransferDetail(Guid Id, string FromOutletCode, string ToOutletCode, DateTime CreatedAt, string? CreatedBy, string? Note,
    IReadOnlyList<DocumentLine> Lines);

public sealed record DisposalDetail(Guid Id, string OutletCode, string OutletName, DisposalOutcome Outcome, string Reference, DateTime CreatedAt,
    string? CreatedBy, IReadOnlyList<DocumentLine> Lines);

/// <summary>A receipt, a transfer or a disposal with the batches it moved (its movements, found by reference): two queries each.</summary>
public sealed class StockDocuments(BackOfficeDb db)
{
    public async Task<ReceiptDetail?> ReceiptAsync(Guid receiptId, CancellationToken ct = default)
    {
        var head = await (from r in db.Receipts
                          where r.Id == receiptId
                          join o in db.Outlets on r.OutletId equals o.Id
                          select new { r.Id, r.OutletId, o.Code, o.Name, r.Reference, r.ReceivedAt, r.ReceivedBy }).FirstOrDefaultAsync(ct);
        return head is null ? null
            : new ReceiptDetail(head.Id, head.Code, head.Name, head.Reference, head.ReceivedAt, head.ReceivedBy,
                await LinesAsync(MovementReference.Receipt(receiptId), [head.OutletId], ct));
    }

    public async Task<TransferDetail?> TransferAsync(Guid transferId, CancellationToken ct = default)
    {
        var head = await (from t in db.Transfers
                          where t.Id == transferId
                          join f in db.Outlets on t.FromOutletId equals f.Id
                          join o in db.Outlets on t.ToOutletId equals o.Id
                          select new { t.Id, t.FromOutletId, t.ToOutletId, From = f.Code, To = o.Code, t.CreatedAt, t.CreatedBy, t.Note }).FirstOrDefaultAsync(ct);
        return head is null ? null
            : new TransferDetail(head.Id, head.From, head.To, head.CreatedAt, head.CreatedBy, head.Note,
                await LinesAsync(MovementReference.Transfer(transferId), [head.FromOutletId, head.ToOutletId], ct));
    }

    public async Task<DisposalDetail?> DisposalAsync(Guid disposalId, CancellationToken ct = default)
    {
        var head = await (from d in db.Disposals
                          where d.Id == disposalId
                          join o in db.Outlets on d.OutletId equals o.Id
                          select new { d.Id, d.OutletId, o.Code, o.Name, d.Outcome, d.Reference, d.CreatedAt, d.CreatedBy }).FirstOrDefaultAsync(ct);
        return head is null ? null
            : new DisposalDetail(head.Id, head.Code, head.Name, head.Outcome, head.Reference, head.CreatedAt, head.CreatedBy,
                await LinesAsync(MovementReference.Disposal(disposalId), [head.OutletId], ct));
    }

    // By outlet too, so that the (OutletId, CreatedAt) index narrows the search for the reference.
    private async Task<IReadOnlyList<DocumentLine>> LinesAsync(MovementReference reference, int[] outletIds, CancellationToken ct)
    {
        var text = reference.ToString();
        return await db.Movements.Where(m => outletIds.Contains(m.OutletId) && m.Reference == text)
            .OrderBy(m => m.Kind).ThenBy(m => m.Id)
            .Select(m => new DocumentLine(m.Batch.Outlet.Code, m.Batch.Product.Sku, m.Batch.Product.Name, m.BatchId, m.Batch.LotNumber, m.Batch.ExpiryDate,
                m.Kind, m.Quantity, m.Batch.UnitCost))
            .ToListAsync(ct);
    }
}
