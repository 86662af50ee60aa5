using System.Linq.Expressions;

namespace BackOffice.Core.Inventory;

/// <summary>
/// Stock taken off the shelf for good at one outlet: returned to the supplier or destroyed, with the document that proves
/// it (the supplier's return authorisation, the destruction certificate). Its disposal movements reference it.
/// </summary>
public class Disposal
{
    public Guid Id { get; set; }
    public int OutletId { get; set; }
    public DisposalOutcome Outcome { get; set; }
    /// <summary>The supplier's return authorisation (RMA) number, or the destruction certificate number.</summary>
    public required string Reference { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>
    /// The rule of the disposal list, in one place: a batch must leave the shelf when it still holds units and may never be
    /// sold again — quarantined by a recall, or expired by <see cref="ExpiryRule"/> in its own outlet's time zone.
    /// </summary>
    public static Expression<Func<Batch, bool>> MustLeaveShelf(OutletDays days)
    {
        var unsellable = ExpiryRule.IsUnsellable(days);
        var batch = unsellable.Parameters[0];
        var onHand = Expression.GreaterThan(Expression.Property(batch, nameof(Batch.OnHand)), Expression.Constant(0));
        return Expression.Lambda<Func<Batch, bool>>(Expression.AndAlso(onHand, unsellable.Body), batch);
    }

    /// <summary>What the disposal document's reference is called for an outcome.</summary>
    public static string ReferenceName(DisposalOutcome outcome) => outcome switch
    {
        DisposalOutcome.ReturnedToSupplier => "supplier's return authorisation (RMA) number",
        DisposalOutcome.Destroyed => "destruction certificate number",
        _ => "reference",
    };

    /// <summary>The ledger note of a disposal's movements: what happened to the units and under which document.</summary>
    public static string Note(DisposalOutcome outcome, string reference) => outcome switch
    {
        DisposalOutcome.ReturnedToSupplier => $"Returned to supplier, RMA {reference}",
        _ => $"Destroyed, certificate {reference}",
    };
}

public enum DisposalOutcome { ReturnedToSupplier = 1, Destroyed = 2 }

/// <summary>Why a batch is on the disposal list.</summary>
public enum DisposalReason { Expired = 1, Recalled = 2 }
