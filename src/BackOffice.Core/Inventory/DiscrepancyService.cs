using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Inventory;

public sealed record DiscrepancyView(long Id, DateTime CreatedAt, string OutletCode, string Sku, string ProductName, DiscrepancyKind Kind,
    int Quantity, string? Reference, DiscrepancyStatus Status, string? Note, DateTime? ResolvedAt, string? ResolvedBy);

/// <summary>Shortfalls and rejected returns managers look into: listed by status, marked investigated or resolved with a note.</summary>
public sealed class DiscrepancyService(BackOfficeDb db, TimeProvider clock)
{
    public async Task<(int Total, IReadOnlyList<DiscrepancyView> Rows)> ListAsync(DiscrepancyStatus? status, int skip, int take, CancellationToken ct = default)
    {
        var query = db.Discrepancies.Where(d => status == null || d.Status == status);
        var total = await query.CountAsync(ct);
        var rows = await (from d in query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
                          join o in db.Outlets on d.OutletId equals o.Id
                          join p in db.Products on d.ProductId equals p.Id
                          orderby d.CreatedAt descending, d.Id descending
                          select new DiscrepancyView(d.Id, d.CreatedAt, o.Code, p.Sku, p.Name, d.Kind, d.Quantity, d.Reference, d.Status, d.Note, d.ResolvedAt, d.ResolvedBy))
            .ToListAsync(ct);
        return (total, rows);
    }

    /// <summary>
    /// Marks a discrepancy investigated or resolved, with a note (required to resolve: the record says how it was settled).
    /// A resolved one is final; the status check is part of the UPDATE, so two managers cannot both settle it.
    /// </summary>
    public async Task MarkAsync(long id, DiscrepancyStatus status, string? note, string? userName, CancellationToken ct = default)
    {
        var problems = new Problems();
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (status == DiscrepancyStatus.Open) problems.Add("status", "Choose investigated or resolved.");
        if (status == DiscrepancyStatus.Resolved && note is null) problems.Add("note", "Say how it was resolved.");
        if (note is { Length: > 1000 }) problems.Add("note", "The note is at most 1000 characters.");
        problems.ThrowIfAny("The discrepancy was not changed.");

        var now = clock.GetUtcNow().UtcDateTime;
        var resolved = status == DiscrepancyStatus.Resolved;
        var changed = await db.Discrepancies.Where(d => d.Id == id && d.Status != DiscrepancyStatus.Resolved)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status)
                .SetProperty(d => d.Note, d => note ?? d.Note)
                .SetProperty(d => d.ResolvedAt, d => resolved ? now : d.ResolvedAt)
                .SetProperty(d => d.ResolvedBy, d => resolved ? userName : d.ResolvedBy), ct);
        if (changed == 0) problems.Also("status", "It is already resolved, or gone.").ThrowIfAny("The discrepancy was not changed.");
    }
}
