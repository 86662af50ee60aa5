using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackOffice.Core.Data;

// The rows the stock writes insert, one type per table. A row's properties are named as its entity's, in any order; the
// table and column names come from the EF model (a renamed column is one change, in the model), and a test resolves every
// row type against the model so that a row and its entity cannot drift apart unnoticed.

internal sealed record SaleRow(Guid Id, int OutletId, int? TillId, DateTime OccurredAt, int OccurredOffsetMinutes, DateTime RecordedAt, decimal Total, string? Currency, string ContentHash);

internal sealed record SaleLineRow(Guid SaleId, int LineNumber, int ProductId, int Quantity, decimal UnitPrice, int Allocated, int Shortfall,
    string TaxCategory, decimal TaxRate, decimal Net, decimal Tax);

internal sealed record SalePaymentRow(Guid SaleId, string Method, decimal Amount);

internal sealed record ReturnRow(Guid Id, Guid SaleId, int OutletId, int? TillId, DateTime OccurredAt, DateTime RecordedAt, string? Reason, string ContentHash);

internal sealed record ReturnLineRow(Guid ReturnId, int LineNumber, int ProductId, int Quantity, string TaxCategory, decimal TaxRate, decimal Net, decimal Tax);

internal sealed record DiscrepancyRow(int OutletId, int ProductId, DiscrepancyKind Kind, int Quantity, string Reference, DateTime CreatedAt, DiscrepancyStatus Status);

internal sealed record BatchRow(Guid Id, int OutletId, int ProductId, string? LotNumber, DateOnly? ExpiryDate, int QuantityReceived, int OnHand, decimal UnitCost,
    DateTime ReceivedAt, int Version, bool Quarantined = false);

internal sealed record MovementRow(Guid BatchId, int OutletId, int ProductId, MovementKind Kind, int Quantity, string? Reference, string? UserName, int? TillId,
    DateTime CreatedAt, string? Note);

internal sealed record ReceiptRow(Guid Id, int OutletId, string? Reference, DateTime ReceivedAt, string? ReceivedBy);

internal sealed record NotificationRow(int OutletId, NotificationKind Kind, DateOnly Day, string Title, string Body, int Count, DateTime CreatedAt, DateTime UpdatedAt);

internal sealed record DisposalRow(Guid Id, int OutletId, DisposalOutcome Outcome, string Reference, DateTime CreatedAt, string? CreatedBy);

internal sealed record TransferRow(Guid Id, int FromOutletId, int ToOutletId, DateTime CreatedAt, string? CreatedBy, string? Note);

internal sealed record SalesDayRow(DateOnly Day, int OutletId, int ProductId, int TillId, long SoldQuantity, double SoldRevenue, double SoldCost,
    long ReturnedQuantity, double ReturnedRevenue, double ReturnedCost, double SoldNet, double SoldTax, double ReturnedNet, double ReturnedTax);

/// <summary>The tables the stock writes fill, each with its row type.</summary>
internal static class StockTables
{
    public static readonly StockTable<SaleRow> Sales = new(typeof(Sale));
    public static readonly StockTable<SaleLineRow> SaleLines = new(typeof(SaleLine));
    public static readonly StockTable<SalePaymentRow> SalePayments = new(typeof(SalePayment));
    public static readonly StockTable<ReturnRow> Returns = new(typeof(Return));
    public static readonly StockTable<ReturnLineRow> ReturnLines = new(typeof(ReturnLine));
    public static readonly StockTable<DiscrepancyRow> Discrepancies = new(typeof(Discrepancy));
    public static readonly StockTable<BatchRow> Batches = new(typeof(Batch));
    public static readonly StockTable<MovementRow> Movements = new(typeof(StockMovement));
    public static readonly StockTable<ReceiptRow> Receipts = new(typeof(Receipt));
    public static readonly StockTable<TransferRow> Transfers = new(typeof(Transfer));
    public static readonly StockTable<DisposalRow> Disposals = new(typeof(Disposal));
    public static readonly StockTable<NotificationRow> Notifications = new(typeof(Notification));
    public static readonly StockTable<SalesDayRow> SalesDays = new(typeof(SalesDay));

    /// <summary>Every table above (the model test resolves each).</summary>
    public static IEnumerable<IStockTable> All =>
        [Sales, SaleLines, SalePayments, Returns, ReturnLines, Discrepancies, Batches, Movements, Receipts, Transfers, Disposals, Notifications, SalesDays];

    /// <summary>A table's quoted name in the model (for the statements that are not plain inserts of rows).</summary>
    public static string Table<TEntity>(IModel model) => Names.Of(model, typeof(TEntity)).Table;

    /// <summary>A column's quoted name in the model, by the entity's property name.</summary>
    public static string Column<TEntity>(IModel model, string property) => Names.Of(model, typeof(TEntity)).Column(property);
}

/// <summary>What every stock table tells about itself, for the test that holds them to the model.</summary>
internal interface IStockTable
{
    Type Entity { get; }
    Type Row { get; }
    /// <summary>The quoted table name and column list; throws when a row property has no column in the model.</summary>
    (string Table, string Columns) Resolve(IModel model);
    /// <summary>The store type of a property's column in the model (e.g. <c>numeric(18,2)</c>, <c>nvarchar(64)</c>).</summary>
    string StoreType(IModel model, string property);
    /// <summary>A value as its column's SQL literal, by the model's type mapping.</summary>
    string Literal(IModel model, string property, object value);
}

/// <summary>A table and the row type of its inserts: names from the model, values from the row, in the row's order.</summary>
internal sealed class StockTable<TRow>(Type entity) : IStockTable
{
    public Type Entity => entity;
    public Type Row => typeof(TRow);

    /// <summary>The row's property names, in order: the key and amount names of an upsert.</summary>
    public IReadOnlyList<string> PropertyNames => RowValues<TRow>.Names;

    public (string Table, string Columns) Resolve(IModel model)
    {
        var names = Names.Of(model, entity);
        return (names.Table, string.Join(", ", PropertyNames.Select(names.Column)));
    }

    public string Column(IModel model, string property) => Names.Of(model, entity).Column(property);

    public string StoreType(IModel model, string property) => Names.Of(model, entity).StoreType(property);

    public string Literal(IModel model, string property, object value) => Names.Of(model, entity).Literal(property, value);
}

/// <summary>Quoted table and column names of an entity in a model, looked up once per model.</summary>
internal sealed class Names
{
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, Names>> Cache = new();
    private readonly Dictionary<string, string> _columns = [];
    private readonly Dictionary<string, string> _storeTypes = [];
    private readonly Dictionary<string, RelationalTypeMapping> _mappings = [];
    private readonly IEntityType _type;

    private Names(IModel model, Type entity)
    {
        _type = model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not in the model.");
        var table = _type.GetTableName() ?? throw new InvalidOperationException($"{entity.Name} has no table.");
        Table = Quote(table);
        var store = StoreObjectIdentifier.Table(table, _type.GetSchema());
        foreach (var p in _type.GetProperties())
            if (p.GetColumnName(store) is { } column)
            {
                _columns[p.Name] = Quote(column);
                _storeTypes[p.Name] = p.GetColumnType(store);
                if (p.FindRelationalTypeMapping(store) is { } mapping) _mappings[p.Name] = mapping;
            }
    }

    public string Table { get; }

    public string Column(string property) =>
        _columns.TryGetValue(property, out var column) ? column
        : throw new InvalidOperationException($"{_type.ClrType.Name} has no mapped property '{property}': the row type and the model disagree.");

    public string StoreType(string property) =>
        _storeTypes.TryGetValue(property, out var type) ? type
        : throw new InvalidOperationException($"{_type.ClrType.Name} has no mapped property '{property}': the row type and the model disagree.");

    /// <summary>A value as the column's own SQL literal (EF's type mapping: its storage format, its converter).</summary>
    public string Literal(string property, object value) =>
        _mappings.TryGetValue(property, out var mapping) ? mapping.GenerateSqlLiteral(value)
        : throw new InvalidOperationException($"{_type.ClrType.Name} has no mapped property '{property}': the row type and the model disagree.");

    public static Names Of(IModel model, Type entity) => Cache.GetOrCreateValue(model).GetOrAdd(entity, e => new Names(model, e));

    private static string Quote(string name) => "\"" + name + "\"";
}
