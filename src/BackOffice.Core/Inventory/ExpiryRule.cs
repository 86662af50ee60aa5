using System.Linq.Expressions;
using BackOffice.Core.Outlets;

namespace BackOffice.Core.Inventory;

/// <summary>
/// The expiry rule, and with it what is sellable, in one place: a batch with expiry date D is sellable through D in its
/// outlet's time zone and expired from D+1, whether or not the expiry job has run. Batches without an expiry date never
/// expire. A quarantined batch (its lot recalled) is never sellable, expired or not.
/// </summary>
public static class ExpiryRule
{
    /// <summary>Today's date at an outlet.</summary>
    public static DateOnly TodayAt(TimeZoneInfo zone, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    public static DateOnly TodayAt(Outlet outlet, DateTimeOffset now) => TodayAt(outlet.TimeZone, now);

    public static bool IsExpired(DateOnly? expiryDate, DateOnly today) => expiryDate is { } d && d < today;

    /// <summary><see cref="SellableOnDay"/> for a batch already read.</summary>
    public static bool IsSellable(bool quarantined, DateOnly? expiryDate, DateOnly today) => !quarantined && !IsExpired(expiryDate, today);

    /// <summary>The rule as SQL can take it: not quarantined and not expired on <c>today</c>.</summary>
    public static readonly Expression<Func<Batch, DateOnly, bool>> SellableOnDay = (b, today) => !b.Quarantined && (b.ExpiryDate == null || b.ExpiryDate >= today);

    /// <summary>Batches of one outlet that are sellable on <paramref name="today"/>.</summary>
    public static Expression<Func<Batch, bool>> IsSellableOn(DateOnly today)
    {
        Expression<Func<DateOnly>> day = () => today;
        return Expression.Lambda<Func<Batch, bool>>(Data.QueryTemplates.Replace(SellableOnDay.Body, SellableOnDay.Parameters[1], day.Body),
            SellableOnDay.Parameters[0]);
    }

    /// <summary>
    /// <see cref="SellableOnDay"/> inside a compiled query's template (<see cref="Data.QueryTemplates.Expand"/> puts the rule's
    /// own expression in its place); not to be called.
    /// </summary>
    public static bool SellableOn(Batch batch, DateOnly today) => throw new InvalidOperationException("Only inside a query template.");

    /// <summary>Sellable (not quarantined, not expired), for batches of any outlet, each judged by its own outlet's date.</summary>
    public static Expression<Func<Batch, bool>> IsSellable(OutletDays days) => Build(days, Judged.Sellable);

    /// <summary>Expired, for batches of any outlet, each judged by its own outlet's date (quarantined or not).</summary>
    public static Expression<Func<Batch, bool>> IsExpired(OutletDays days) => Build(days, Judged.Expired);

    /// <summary>Not sellable: quarantined, or expired by its own outlet's date. Exactly the batches <see cref="IsSellable"/> leaves out.</summary>
    public static Expression<Func<Batch, bool>> IsUnsellable(OutletDays days) => Build(days, Judged.Unsellable);

    /// <summary>
    /// Sellable yet, and expiring within <paramref name="horizonDays"/> days of its own outlet's today
    /// (batches with an expiry date only; a quarantined batch will never be sold, so it is not "expiring").
    /// </summary>
    public static Expression<Func<Batch, bool>> ExpiresWithin(OutletDays days, int horizonDays)
    {
        var b = Expression.Parameter(typeof(Batch), "b");
        var expiry = Expression.Property(b, nameof(Batch.ExpiryDate));
        var outletId = Expression.Property(b, nameof(Batch.OutletId));
        Expression any = Expression.Constant(false);
        var first = true;
        foreach (var group in days.ByDate())
        {
            var ids = group.Value;
            Expression<Func<List<int>>> idsHolder = () => ids;
            DateOnly? from = group.Key, to = group.Key.AddDays(horizonDays);
            Expression<Func<DateOnly?>> fromHolder = () => from;
            Expression<Func<DateOnly?>> toHolder = () => to;
            var branch = Expression.AndAlso(
                Expression.Call(idsHolder.Body, typeof(List<int>).GetMethod(nameof(List<int>.Contains))!, outletId),
                Expression.AndAlso(Expression.GreaterThanOrEqual(expiry, fromHolder.Body), Expression.LessThanOrEqual(expiry, toHolder.Body)));
            any = first ? branch : Expression.OrElse(any, branch);
            first = false;
        }
        var hasExpiry = Expression.NotEqual(expiry, Expression.Constant(null, typeof(DateOnly?)));
        var notQuarantined = Expression.Not(Expression.Property(b, nameof(Batch.Quarantined)));
        return Expression.Lambda<Func<Batch, bool>>(Expression.AndAlso(notQuarantined, Expression.AndAlso(hasExpiry, any)), b);
    }

    // Outlets share at most a few distinct "todays" (zones differ by hours), so the predicate is
    // one OR-branch per distinct date with the outlet ids as a parameter: its size does not grow with the data.
    private enum Judged { Sellable, Expired, Unsellable }

    private static Expression<Func<Batch, bool>> Build(OutletDays days, Judged judged)
    {
        var expired = judged != Judged.Sellable;
        var b = Expression.Parameter(typeof(Batch), "b");
        var expiry = Expression.Property(b, nameof(Batch.ExpiryDate));
        var outletId = Expression.Property(b, nameof(Batch.OutletId));
        var hasExpiry = Expression.NotEqual(expiry, Expression.Constant(null, typeof(DateOnly?)));
        Expression? any = null;
        foreach (var group in days.ByDate())
        {
            var ids = group.Value;
            Expression<Func<List<int>>> idsHolder = () => ids;
            var today = group.Key;
            Expression<Func<DateOnly?>> todayHolder = () => today;
            var inGroup = Expression.Call(idsHolder.Body, typeof(List<int>).GetMethod(nameof(List<int>.Contains))!, outletId);
            var compare = expired
                ? Expression.LessThan(expiry, todayHolder.Body)
                : Expression.GreaterThanOrEqual(expiry, todayHolder.Body);
            var branch = Expression.AndAlso(inGroup, compare);
            any = any is null ? branch : Expression.OrElse(any, branch);
        }
        Expression body = expired
            ? Expression.AndAlso(hasExpiry, any ?? Expression.Constant(false))
            : Expression.OrElse(Expression.Not(hasExpiry), any ?? Expression.Constant(false));
        var quarantined = Expression.Property(b, nameof(Batch.Quarantined));
        body = judged switch
        {
            Judged.Sellable => Expression.AndAlso(Expression.Not(quarantined), body),
            Judged.Unsellable => Expression.OrElse(quarantined, body),
            _ => body,
        };
        return Expression.Lambda<Func<Batch, bool>>(body, b);
    }
}

/// <summary>Today's date at each outlet, computed once per operation from the outlets' time zones.</summary>
public sealed class OutletDays
{
    private readonly Dictionary<int, DateOnly> _today;

    public OutletDays(IEnumerable<(int OutletId, string TimeZoneId)> outlets, DateTimeOffset now) =>
        _today = outlets.ToDictionary(o => o.OutletId,
            o => ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(o.TimeZoneId), now));

    public DateOnly this[int outletId] => _today[outletId];

    public IReadOnlyDictionary<int, DateOnly> All => _today;

    internal Dictionary<DateOnly, List<int>> ByDate() =>
        _today.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key).ToList());
}
