using System.Linq.Expressions;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Data;

/// <summary>
/// Compiled queries from templates: EF compiles a query once (no expression tree built, hashed and looked up per call,
/// which cost the sale's two reads ~0.2 ms each), but a compiled query is one expression, so the rules it uses (the
/// expiry rule) and the provider's row lock are written into it here, from their one definition each.
/// </summary>
internal static class QueryTemplates
{
    /// <summary>
    /// A compiled query per model: EF refuses to run one against another model than it was compiled for, and a process can
    /// hold several (a provider each; every test host builds its own).
    /// </summary>
    public sealed class PerModel<T>(Func<DatabaseProvider, T> compile) where T : class
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, T> _compiled = new();

        public T For(BackOfficeDb db) => _compiled.GetValue(db.Model, _ => compile(db.Database.Provider()));
    }

    /// <summary>Where a template reads batches to write: <see cref="Movements.BatchesForUpdate"/>'s source, per provider.</summary>
    public static IQueryable<Batch> BatchesForUpdate(BackOfficeDb db) => throw new InvalidOperationException("Only inside a query template.");

    /// <summary>The template with <see cref="ExpiryRule.SellableOn"/> and <see cref="BatchesForUpdate"/> put in for <paramref name="provider"/>.</summary>
    public static Expression<T> Expand<T>(Expression<T> template, DatabaseProvider provider) => (Expression<T>)new Expander(provider).Visit(template);

    /// <summary>An expression with one parameter replaced by another expression.</summary>
    public static Expression Replace(Expression body, ParameterExpression parameter, Expression by) => new Substitute(parameter, by).Visit(body);

    private sealed class Expander(DatabaseProvider provider) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType == typeof(ExpiryRule) && node.Method.Name == nameof(ExpiryRule.SellableOn))
            {
                var rule = ExpiryRule.SellableOnDay;
                var body = Replace(rule.Body, rule.Parameters[0], Visit(node.Arguments[0]));
                return Replace(body, rule.Parameters[1], Visit(node.Arguments[1]));
            }
            if (node.Method.DeclaringType == typeof(QueryTemplates) && node.Method.Name == nameof(BatchesForUpdate))
            {
                var batches = Expression.Property(Visit(node.Arguments[0]), nameof(BackOfficeDb.Batches));
                return provider switch
                {
                    DatabaseProvider.SqlServer => Expression.Call(typeof(RelationalQueryableExtensions), nameof(RelationalQueryableExtensions.FromSqlRaw),
                        [typeof(Batch)], batches, Expression.Constant(Movements.SqlServerBatchesForUpdate), Expression.NewArrayInit(typeof(object))),
                    DatabaseProvider.PostgreSql => Expression.Call(typeof(EntityFrameworkQueryableExtensions), nameof(EntityFrameworkQueryableExtensions.TagWith),
                        [typeof(Batch)], batches, Expression.Constant(PostgresRowLocks.Tag)),
                    _ => batches,
                };
            }
            return base.VisitMethodCall(node);
        }
    }

    private sealed class Substitute(ParameterExpression parameter, Expression by) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? by : node;
    }
}
