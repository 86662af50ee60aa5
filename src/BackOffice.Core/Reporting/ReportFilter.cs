using System.Linq.Expressions;
using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Reporting;

/// <summary>
/// What every report can be narrowed to: one outlet, a range of days (inclusive, each outlet's own calendar days in its
/// time zone) and a product search (sku, barcode or part of the name).
/// </summary>
public sealed record ReportFilter(int? OutletId = null, DateOnly? From = null, DateOnly? To = null, string? Product = null)
{
    public string? ProductSearch => string.IsNullOrWhiteSpace(Product) ? null : Product.Trim();

    /// <summary>Refuses a range that ends before it starts, with the field it concerns.</summary>
    public void Validate()
    {
        if (From is { } f && To is { } t && t < f)
            throw new ValidationFailedException("The report filter is not valid.",
                new Dictionary<string, string[]> { ["to"] = ["The last day is before the first day."] });
    }
}

/// <summary>One page of a report's rows and how many rows the whole report has.</summary>
public sealed record ReportPage<T>(IReadOnlyList<T> Rows, int TotalRows);

/// <summary>The filter pieces every report shares, translated to SQL predicates.</summary>
internal static class ReportFilters
{
    public const int MaxPageSize = 500;

    public static int PageSize(int take) => Math.Clamp(take, 1, MaxPageSize);

    /// <summary>Products matching the search, as a sub-query (never loaded).</summary>
    public static IQueryable<int> ProductIds(BackOfficeDb db, string search) =>
        db.Products.Where(ProductSearch.Matches(db, search)).Select(p => p.Id);

    /// <summary>
    /// Rows whose UTC time falls within the filter's days at their own outlet: one OR-branch per distinct (start, end) pair,
    /// so outlets in the same zone share a branch and the predicate size does not grow with the data.
    /// </summary>
    public static async Task<Expression<Func<T, bool>>?> WithinDaysAsync<T>(BackOfficeDb db, ReportFilter filter,
        Expression<Func<T, int>> outletOf, Expression<Func<T, DateTime>> timeOf, CancellationToken ct)
    {
        if (filter.From is null && filter.To is null) return null;
        var outlets = await db.Outlets.Where(o => filter.OutletId == null || o.Id == filter.OutletId)
            .Select(o => new { o.Id, o.TimeZoneId }).ToListAsync(ct);
        var ranges = outlets.GroupBy(o => UtcRange(filter, TimeZoneInfo.FindSystemTimeZoneById(o.TimeZoneId)))
            .ToDictionary(g => g.Key, g => g.Select(o => o.Id).ToList());

        var row = Expression.Parameter(typeof(T), "r");
        var outlet = Replace(outletOf, row);
        var time = Replace(timeOf, row);
        Expression any = Expression.Constant(false);
        var first = true;
        foreach (var ((start, end), ids) in ranges)
        {
            // Closures, so that EF sends the bounds and ids as parameters.
            Expression<Func<List<int>>> idsHolder = () => ids;
            Expression<Func<DateTime>> startHolder = () => start, endHolder = () => end;
            Expression branch = ranges.Count == 1
                ? Expression.Constant(true)
                : Expression.Call(idsHolder.Body, typeof(List<int>).GetMethod(nameof(List<int>.Contains))!, outlet);
            if (filter.From is not null) branch = Expression.AndAlso(branch, Expression.GreaterThanOrEqual(time, startHolder.Body));
            if (filter.To is not null) branch = Expression.AndAlso(branch, Expression.LessThan(time, endHolder.Body));
            any = first ? branch : Expression.OrElse(any, branch);
            first = false;
        }
        return Expression.Lambda<Func<T, bool>>(any, row);
    }

    /// <summary>The filter's first day's midnight and the day after its last day's midnight at a zone, in UTC.</summary>
    public static (DateTime Start, DateTime End) UtcRange(ReportFilter filter, TimeZoneInfo zone) =>
        (filter.From is { } f ? MidnightUtc(f, zone) : DateTime.MinValue, filter.To is { } t ? MidnightUtc(t.AddDays(1), zone) : DateTime.MaxValue);

    public static DateTime MidnightUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight skipped by a daylight-saving change starts the day at the first valid local time.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static Expression Replace<T, TResult>(Expression<Func<T, TResult>> lambda, ParameterExpression parameter) =>
        new ParameterSwap(lambda.Parameters[0], parameter).Visit(lambda.Body);

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    public static IQueryable<T> WhereIf<T>(this IQueryable<T> q, Expression<Func<T, bool>>? predicate) =>
        predicate is null ? q : q.Where(predicate);
}
