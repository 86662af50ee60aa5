using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

public sealed record LedgerFilter(ReportFilter Filter, MovementKind? Kind = null, Guid? BatchId = null);

/// <summary>Where the next page starts: the last row shown (newest first, by time then id).</summary>
public sealed record LedgerCursor(DateTime CreatedAt, long Id)
{
    public override string ToString() => $"{CreatedAt.Ticks}-{Id}";

    public static LedgerCursor? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is { Length: 2 } && long.TryParse(parts[0], out var ticks) && long.TryParse(parts[1], out var id)
               && ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks
            ? new LedgerCursor(new DateTime(ticks, DateTimeKind.Utc), id) : null;
    }
}

public sealed record LedgerRow(long Id, DateTime CreatedAt, int OutletId, string OutletCode, string Sku, string ProductName, Guid BatchId,
    string? LotNumber, MovementKind Kind, int Quantity, string? Reference, string? UserName, string? TillName, string? Note, int? Balance)
{
    public MovementReference? Document => MovementReference.Parse(Reference);
    public string? By => MovementBy.Name(UserName, TillName);
}

public sealed record LedgerPage(IReadOnlyList<LedgerRow> Rows, LedgerCursor? Next);

/// <summary>A movement's balance of its batch after it, computed by the database's window function.</summary>
public sealed class BatchBalance
{
    public long Id { get; set; }
    public int Balance { get; set; }
}

public sealed partial class Reports
{
    /// <summary>
    /// The movement ledger, newest first, a page at a time. Paging is by key (time, then id), so a page costs an index
    /// seek on (OutletId, CreatedAt) or (ProductId, CreatedAt), however deep into the ledger it is.
    /// </summary>
    public async Task<LedgerPage> LedgerAsync(LedgerFilter filter, LedgerCursor? after = null, int take = 50, CancellationToken ct = default)
    {
        take = ReportFilters.PageSize(take);
        var rows = await LedgerRowsAsync(filter, after, ct);
        var page = await rows.Take(take + 1).ToListAsync(ct);
        var next = page.Count > take ? new LedgerCursor(page[take - 1].CreatedAt, page[take - 1].Id) : null;
        return new LedgerPage(page.Take(take).ToList(), next);
    }

    /// <summary>Every row of the ledger for the filter, in page order: one query, to be streamed.</summary>
    public async Task<IQueryable<LedgerRow>> LedgerRowsAsync(LedgerFilter filter, LedgerCursor? after = null, CancellationToken ct = default)
    {
        filter.Filter.Validate();
        var f = filter.Filter;
        var movements = db.Movements.AsQueryable();
        if (f.OutletId is { } outletId) movements = movements.Where(m => m.OutletId == outletId);
        if (f.ProductSearch is { } search) movements = movements.Where(m => ReportFilters.ProductIds(db, search).Contains(m.ProductId));
        if (filter.Kind is { } kind) movements = movements.Where(m => m.Kind == kind);
        if (filter.BatchId is { } batchId) movements = movements.Where(m => m.BatchId == batchId);
        movements = movements.WhereIf(await ReportFilters.WithinDaysAsync<StockMovement>(db, f, m => m.OutletId, m => m.CreatedAt, ct));
        if (after is not null)
            movements = movements.Where(m => m.CreatedAt < after.CreatedAt || (m.CreatedAt == after.CreatedAt && m.Id < after.Id));

        var ordered = movements.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id);
        if (filter.BatchId is not { } oneBatch)
            return ordered.Select(m => new LedgerRow(m.Id, m.CreatedAt, m.OutletId, m.Batch.Outlet.Code, m.Batch.Product.Sku, m.Batch.Product.Name,
                m.BatchId, m.Batch.LotNumber, m.Kind, m.Quantity, m.Reference, m.UserName,
                db.Tills.Where(t => t.Id == m.TillId).Select(t => t.Name).FirstOrDefault(), m.Note, null));

        // One batch: its running balance, over all its movements (not only the filtered ones), by the database's window sum.
        var balances = db.Database.SqlQuery<BatchBalance>(
            $"""SELECT "Id", SUM("Quantity") OVER (ORDER BY "CreatedAt", "Id") AS "Balance" FROM "Movements" WHERE "BatchId" = {oneBatch}""");
        return from m in ordered
               join b in balances on m.Id equals b.Id
               orderby m.CreatedAt descending, m.Id descending
               select new LedgerRow(m.Id, m.CreatedAt, m.OutletId, m.Batch.Outlet.Code, m.Batch.Product.Sku, m.Batch.Product.Name,
                   m.BatchId, m.Batch.LotNumber, m.Kind, m.Quantity, m.Reference, m.UserName,
                   db.Tills.Where(t => t.Id == m.TillId).Select(t => t.Name).FirstOrDefault(), m.Note, b.Balance);
    }
}
