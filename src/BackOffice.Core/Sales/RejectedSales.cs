using System.Security.Cryptography;
using System.Text;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Sales;

/// <summary>What the server keeps of a sale it could not record.</summary>
public sealed record RejectedSaleHold(Guid SaleId, int OutletId, int? TillId, string Payload, string Source, string Reason, string? Errors, int ProblemStatus);

/// <summary>
/// How a held sale stands. <see cref="RecordedSince"/>: still open in the queue, but a sale with its id was recorded later
/// (the till sent it again after the fix), so there is nothing left to settle.
/// </summary>
public enum RejectedSaleState { Open, Recorded, RecordedSince, WrittenOff }

public sealed record RejectedSaleView(long Id, Guid SaleId, int OutletId, string OutletCode, int? TillId, string? TillName, DateTime ReceivedAt,
    string Source, string Reason, string? Errors, int ProblemStatus, RejectedSaleState State, DateTime? SettledAt, string? SettledBy,
    string? SettlementNote, string Payload);

/// <summary>
/// The queue of rejected sales: held when the server cannot record what a till sold, settled once by a manager (recorded
/// after a fix, or written off with a reason). A held sale whose id was recorded since counts as settled.
/// </summary>
public sealed class RejectedSales(BackOfficeDb db, SaleRecorder recorder, TimeProvider clock)
{
    public const int MaxNote = 500;

    /// <summary>Keeps the till's payload and the reason; true once the server holds it (also when it already did).</summary>
    public async Task<bool> HoldAsync(RejectedSaleHold hold, CancellationToken ct = default)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hold.Payload)));
        try
        {
            return await db.RetryingStockWriteAsync(async c =>
            {
                await using var tx = await db.BeginStockWriteAsync(c);
                if (!await db.RejectedSales.AnyAsync(r => r.SaleId == hold.SaleId && r.PayloadHash == hash, c))
                {
                    db.RejectedSales.Add(new RejectedSale
                    {
                        SaleId = hold.SaleId, OutletId = hold.OutletId, TillId = hold.TillId, Payload = hold.Payload, PayloadHash = hash,
                        Source = hold.Source, Reason = Truncate(hold.Reason, 200)!, Errors = hold.Errors, ProblemStatus = hold.ProblemStatus,
                        ReceivedAt = clock.GetUtcNow().UtcDateTime, Status = RejectedSaleStatus.Open,
                    });
                    await db.SaveChangesAsync(c);
                }
                await tx.CommitAsync(c);
                return true;
            }, ct);
        }
        catch (DbUpdateException)
        {
            // Another server held the same submission between our check and our insert.
            db.ChangeTracker.Clear();
            return await db.RejectedSales.AnyAsync(r => r.SaleId == hold.SaleId && r.PayloadHash == hash, ct);
        }
    }

    private IQueryable<RejectedSale> Unsettled => UnsettledIn(db);

    private static IQueryable<RejectedSale> UnsettledIn(BackOfficeDb db) =>
        db.RejectedSales.Where(r => r.Status == RejectedSaleStatus.Open && !db.Sales.Any(s => s.Id == r.SaleId));

    /// <summary>How many wait for a manager (the app bar and the dashboard): one query.</summary>
    public Task<int> OpenCountAsync(CancellationToken ct = default) => OpenCountAsync(db, ct);

    /// <summary>The same count on a context of the caller's (the app bar counts on a timer beside the page's own queries).</summary>
    public static Task<int> OpenCountAsync(BackOfficeDb db, CancellationToken ct = default) => UnsettledIn(db).CountAsync(ct);

    /// <summary>A page of the queue, newest first: those to settle, or those settled.</summary>
    public async Task<(List<RejectedSaleView> Rows, int Total)> ListAsync(bool open, int skip = 0, int take = 50, CancellationToken ct = default)
    {
        var rows = open ? Unsettled : db.RejectedSales.Where(r => r.Status != RejectedSaleStatus.Open || db.Sales.Any(s => s.Id == r.SaleId));
        var total = await rows.CountAsync(ct);
        var page = await Views(rows.OrderByDescending(r => r.ReceivedAt).ThenByDescending(r => r.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)))
            .ToListAsync(ct);
        return (page, total);
    }

    public Task<RejectedSaleView?> FindAsync(long id, CancellationToken ct = default) =>
        Views(db.RejectedSales.Where(r => r.Id == id)).FirstOrDefaultAsync(ct);

    private IQueryable<RejectedSaleView> Views(IQueryable<RejectedSale> rows) =>
        from r in rows
        join o in db.Outlets on r.OutletId equals o.Id
        select new RejectedSaleView(r.Id, r.SaleId, r.OutletId, o.Code, r.TillId, db.Tills.Where(t => t.Id == r.TillId).Select(t => t.Name).FirstOrDefault(),
            r.ReceivedAt, r.Source, r.Reason, r.Errors, r.ProblemStatus,
            r.Status == RejectedSaleStatus.WrittenOff ? RejectedSaleState.WrittenOff
            : r.Status == RejectedSaleStatus.Recorded ? RejectedSaleState.Recorded
            : db.Sales.Any(s => s.Id == r.SaleId) ? RejectedSaleState.RecordedSince
            : RejectedSaleState.Open,
            r.SettledAt, r.SettledBy, r.SettlementNote, r.Payload);

    /// <summary>
    /// Records the held sale, as corrected by the manager (same saleId, at its till and outlet, by the sale recorder), and
    /// settles it. If it still cannot be recorded the recorder's problem is thrown and the sale stays open.
    /// </summary>
    public async Task<SaleResult> RecordAsync(long id, SaleRequest corrected, string user, string? note, CancellationToken ct = default)
    {
        var held = await OpenAsync(id, ct);
        if (corrected.SaleId != held.SaleId)
            new Problems().Also("saleId", "A held sale is recorded under the sale id the till gave it.").ThrowIfAny("The sale was not recorded.");
        if (note is { Length: > MaxNote })
            new Problems().Also("note", $"The note is at most {MaxNote} characters.").ThrowIfAny("The sale was not recorded.");
        var outcome = await recorder.RecordSaleAsync(corrected, new Counter(held.OutletId, held.TillId, user), ct);
        await SettleAsync(id, RejectedSaleStatus.Recorded, user, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct);
        return outcome.Sale;
    }

    /// <summary>Settles the held sale without recording it; the reason is required and kept.</summary>
    public async Task WriteOffAsync(long id, string? reason, string user, CancellationToken ct = default)
    {
        var problems = new Problems();
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) problems.Add("reason", "Say why this sale is written off (e.g. \"test sale\", \"recorded by hand\").");
        else if (reason.Length > MaxNote) problems.Add("reason", $"The reason is at most {MaxNote} characters.");
        problems.ThrowIfAny("The sale was not written off.");
        await OpenAsync(id, ct);
        if (!await SettleAsync(id, RejectedSaleStatus.WrittenOff, user, reason, ct))
            new Problems().Also("id", "This sale was settled meanwhile.").ThrowIfAny("The sale was not written off.");
    }

    private async Task<RejectedSale> OpenAsync(long id, CancellationToken ct)
    {
        var held = await db.RejectedSales.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (held is null) new Problems().Also("id", "There is no such rejected sale.").ThrowIfAny("The rejected sale was not found.");
        if (held!.Status != RejectedSaleStatus.Open)
            new Problems().Also("id", "This sale is already settled.").ThrowIfAny("The sale is already settled.");
        if (await db.Sales.AnyAsync(s => s.Id == held.SaleId, ct))
            new Problems().Also("id", "A sale with this id was recorded since: there is nothing left to settle.").ThrowIfAny("The sale is already recorded.");
        return held;
    }

    /// <summary>Once: only an open row changes, so two managers settling at once settle it once.</summary>
    private async Task<bool> SettleAsync(long id, RejectedSaleStatus status, string user, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.RejectedSales.Where(r => r.Id == id && r.Status == RejectedSaleStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.SettledAt, now)
                .SetProperty(r => r.SettledBy, Truncate(user, 256)).SetProperty(r => r.SettlementNote, note), ct) == 1;
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
