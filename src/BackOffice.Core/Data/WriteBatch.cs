using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BackOffice.Core.Data;

/// <summary>
/// Several INSERT/UPDATE statements sent to the database as ONE command, so that a stock operation costs the same
/// number of round trips whatever the number of batches or lines it touches. Rows are typed (<see cref="StockTables"/>):
/// table and column names come from the EF model when the command is rendered.
/// <para>
/// How rows travel is the one provider seam here (<see cref="Rows"/>). PostgreSQL and SQL Server get each set of rows as
/// ONE JSON parameter read by <c>jsonb_to_recordset</c> / <c>OPENJSON … WITH</c>: the statement text and the parameter
/// count do not grow with the rows, so each statement is planned once and SQL Server's 2,100-parameter limit cannot be
/// reached. SQLite, which keeps no plans between commands, gets VALUES lists: EF-mapped parameters (EF picks its storage
/// format for Guid, DateTime, DateOnly and decimal) with whole numbers inlined.
/// </para>
/// Identifiers are ANSI double-quoted, which all three accept.
/// </summary>
internal sealed class WriteBatch
{
    // SQLite: at most 32,766 parameters a statement; 500 rows of at most a dozen columns stay far below.
    private const int RowsPerValuesList = 500;

    /// <summary>What a statement is rendered for: the provider and the model (names, column types).</summary>
    public readonly record struct Target(DatabaseProvider Provider, IModel Model)
    {
        public bool SqlServer => Provider == DatabaseProvider.SqlServer;
    }

    private readonly List<Func<Rendering, string>> _statements = [];
    private readonly List<object> _parameters = [];
    private readonly Dictionary<object, string> _shared = [];

    /// <summary>Rows the statements must change; fewer means a guard failed (someone else moved the stock).</summary>
    public int ExpectedRows { get; private set; }

    public bool IsEmpty => _statements.Count == 0;

    /// <summary>A parameter placeholder (NULL inline); equal values share one parameter.</summary>
    public string P(object? value)
    {
        if (value is null) return "NULL";
        if (_shared.TryGetValue(value, out var name)) return name;
        _parameters.Add(value);
        name = "{" + (_parameters.Count - 1) + "}";
        _shared[value] = name;
        return name;
    }

    public static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string N(int? value) => value is { } v ? N(v) : "NULL";

    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An UPDATE that must change exactly one row; its names from the model.</summary>
    public void UpdateOne(Func<IModel, string> sql) => Add(r => sql(r.Target.Model) + ";\n", 1);

    /// <summary>INSERT of typed rows: one statement (SQLite: one per <see cref="RowsPerValuesList"/> rows).</summary>
    public void Insert<TRow>(StockTable<TRow> table, IReadOnlyCollection<TRow> rows)
    {
        if (rows.Count == 0) return;
        var set = RowSet.Of(rows, table);
        Add(r =>
        {
            var (name, columns) = table.Resolve(r.Target.Model);
            if (r.Target.Provider == DatabaseProvider.Sqlite)
                return string.Concat(r.ValuesLists(set).Select(values => $"INSERT INTO {name} ({columns}) VALUES\n{values};\n"));
            return $"INSERT INTO {name} ({columns}) SELECT {set.Select("v")} FROM {r.Rows(set, "v")};\n";
        }, rows.Count);
    }

    /// <summary>
    /// A statement over many rows of values, each of which must change exactly one row: the rows are the table <c>v</c>
    /// (its columns named as <typeparamref name="TRow"/>'s properties) for <paramref name="statement"/>. On SQLite a CTE
    /// over VALUES: SQLite compiles a short VALUES row far faster than an INSERT row with sub-selects or a long OR/CASE.
    /// </summary>
    public void ForEachRow<TRow>(IReadOnlyCollection<TRow> rows, Func<IModel, string> statement)
    {
        if (rows.Count == 0) return;
        var set = RowSet.Of<TRow>(rows, table: null);
        Add(r =>
        {
            if (r.Target.Provider != DatabaseProvider.Sqlite)
                return $"WITH v AS (SELECT * FROM {r.Rows(set, "r")})\n{statement(r.Target.Model)};\n";
            var columns = string.Join(", ", set.Names.Select(n => $"\"{n}\""));
            return string.Concat(r.ValuesLists(set).Select(values => $"WITH v({columns}) AS (VALUES\n{values})\n{statement(r.Target.Model)};\n"));
        }, rows.Count);
    }

    /// <summary>
    /// Adds rows of totals to a table keyed by <paramref name="key"/> (row properties): a row whose key exists has each other
    /// column added to it, a new key is inserted (SQLite's and PostgreSQL's upsert; SQL Server's MERGE, holding the key range
    /// so that two writers cannot both insert it). Keys must be distinct within the call; each row counts as one changed row.
    /// </summary>
    public void AddTo<TRow>(StockTable<TRow> table, IReadOnlyList<string> key, IReadOnlyCollection<TRow> rows)
    {
        if (rows.Count == 0) return;
        var set = RowSet.Of(rows, table);
        var amounts = table.PropertyNames.Except(key).ToList();
        Add(r =>
        {
            var t = r.Target;
            var (name, columns) = table.Resolve(t.Model);
            string C(string property) => table.Column(t.Model, property);
            string List(IEnumerable<string> properties) => string.Join(", ", properties.Select(C));
            if (t.SqlServer)
                return $"MERGE {name} WITH (HOLDLOCK) AS t USING (SELECT * FROM {r.Rows(set, "r")}) AS s\n" +
                       $"ON {string.Join(" AND ", key.Select(k => $"t.{C(k)} = s.\"{k}\""))}\n" +
                       $"WHEN MATCHED THEN UPDATE SET {string.Join(", ", amounts.Select(a => $"{C(a)} = t.{C(a)} + s.\"{a}\""))}\n" +
                       $"WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({set.Select("s")});\n";
            var update = $"ON CONFLICT ({List(key)}) DO UPDATE SET ";
            if (t.Provider == DatabaseProvider.PostgreSql)
                // PostgreSQL sees both the table and excluded in SET: the row's own column is named with its table there.
                return $"INSERT INTO {name} ({columns}) SELECT {set.Select("v")} FROM {r.Rows(set, "v")}\n" +
                       update + string.Join(", ", amounts.Select(a => $"{C(a)} = {name}.{C(a)} + excluded.{C(a)}")) + ";\n";
            return string.Concat(r.ValuesLists(set).Select(values => $"INSERT INTO {name} ({columns}) VALUES\n{values}\n" +
                update + string.Join(", ", amounts.Select(a => $"{C(a)} = {C(a)} + excluded.{C(a)}")) + ";\n"));
        }, rows.Count);
    }

    private void Add(Func<Rendering, string> statement, int rows)
    {
        _statements.Add(statement);
        ExpectedRows += rows;
    }

    /// <summary>Lets a test see the writes an operation sends (its SQL for another provider, its parameters).</summary>
    internal static readonly AsyncLocal<Action<WriteBatch>?> Observer = new();

    /// <summary>Runs the statements as one command; throws <see cref="StockConflictException"/> when a guard failed.</summary>
    public async Task ExecuteAsync(BackOfficeDb db, CancellationToken ct)
    {
        if (IsEmpty) return;
        Observer.Value?.Invoke(this);
        var (sql, parameters) = Command(db.Database.Provider(), db.Model);
        var changed = await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
        if (changed != ExpectedRows)
            throw new StockConflictException($"Expected {ExpectedRows} rows to change, {changed} did: the stock moved meanwhile.");
    }

    /// <summary>The one command for a provider and model: its text with <c>{n}</c> placeholders, and their values.</summary>
    public (string Sql, IReadOnlyList<object> Parameters) Command(DatabaseProvider provider, IModel model)
    {
        var rendering = new Rendering(new Target(provider, model), _parameters);
        var sql = string.Concat(_statements.Select(s => s(rendering)));
        return (sql, rendering.Parameters);
    }

    /// <summary>The command text for one provider and model, with <c>{n}</c> placeholders for the parameters.</summary>
    public string Sql(DatabaseProvider provider, IModel model) => Command(provider, model).Sql;

    /// <summary>One rendering of the batch for a target: the parameters grow with the rows' own (one per set, or SQLite's values).</summary>
    private sealed class Rendering(Target target, IReadOnlyList<object> scalars)
    {
        private readonly Dictionary<object, string> _shared = [];

        public Target Target { get; } = target;
        public List<object> Parameters { get; } = [.. scalars];

        private string Parameter(object value)
        {
            Parameters.Add(value);
            return "{" + (Parameters.Count - 1) + "}";
        }

        /// <summary>
        /// The rows as a table named <paramref name="alias"/> in a FROM clause, read from one JSON parameter: PostgreSQL's
        /// <c>jsonb_to_recordset</c>, SQL Server's <c>OPENJSON … WITH</c> (SQL Server 2016+, compatibility level 130).
        /// </summary>
        public string Rows(RowSet set, string alias)
        {
            var json = Parameter(set.Json(Target.Provider));
            var columns = set.Names.Select((n, i) => (Name: n, Type: set.StoreType(Target, i))).ToList();
            return Target.Provider switch
            {
                DatabaseProvider.PostgreSql =>
                    $"jsonb_to_recordset({json}::jsonb) AS {alias}({string.Join(", ", columns.Select(c => $"\"{c.Name}\" {c.Type}"))})",
                DatabaseProvider.SqlServer =>
                    $"OPENJSON({json}) WITH ({string.Join(", ", columns.Select(c => $"\"{c.Name}\" {c.Type} '$.{c.Name}'"))}) AS {alias}",
                _ => throw new InvalidOperationException($"{Target.Provider} takes its rows as VALUES lists."),
            };
        }

        /// <summary>
        /// SQLite's VALUES lists of at most <see cref="RowsPerValuesList"/> rows: whole numbers and enums inline, a table
        /// row's ids as their column's literal (EF's own, so its storage format), the rest parameters. Ids are the values
        /// that differ on every row, and Microsoft.Data.Sqlite looks every parameter of a command up in every statement:
        /// 50,000 id parameters over 200 statements cost 25 s, as literals nothing.
        /// </summary>
        public IEnumerable<string> ValuesLists(RowSet set) =>
            set.Rows.Chunk(RowsPerValuesList).Select(chunk => string.Join(",\n", chunk.Select(row => "(" + string.Join(", ", row.Select((v, i) => Value(set, i, v))) + ")")));

        private string Value(RowSet set, int column, object? value) => value switch
        {
            null => "NULL",
            int i => N(i),
            long l => N(l),
            Enum e => N(Convert.ToInt32(e, CultureInfo.InvariantCulture)),
            Guid g when set.Literal(Target, column, g) is { } literal => literal,
            _ => _shared.TryGetValue(value, out var name) ? name : _shared[value] = Parameter(value),
        };
    }
}

/// <summary>
/// Rows of one write: their values (in the row type's property order), the names they go by in SQL, and their column
/// types: a table row's from the model's columns, another row's from its CLR types.
/// </summary>
internal sealed class RowSet
{
    private readonly IStockTable? _table;
    private readonly Type[] _types;

    private RowSet(IReadOnlyList<string> names, Type[] types, IReadOnlyList<object?[]> rows, IStockTable? table)
    {
        Names = names;
        _types = types;
        Rows = rows;
        _table = table;
    }

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<object?[]> Rows { get; }

    public static RowSet Of<TRow>(IEnumerable<TRow> rows, IStockTable? table) =>
        new(RowValues<TRow>.Names, RowValues<TRow>.Types, rows.Select(RowValues<TRow>.Of).ToList(), table);

    /// <summary>The set's columns as a select list on <paramref name="alias"/>, in the row's order.</summary>
    public string Select(string alias) => string.Join(", ", Names.Select(n => $"{alias}.\"{n}\""));

    /// <summary>A value as its column's literal for a table row; null for another row (it has no column mapping).</summary>
    public string? Literal(WriteBatch.Target target, int column, object value) => _table?.Literal(target.Model, Names[column], value);

    public string StoreType(WriteBatch.Target target, int column) =>
        _table is not null ? _table.StoreType(target.Model, Names[column]) : ClrStoreType(target.Provider, _types[column]);

    private static string ClrStoreType(DatabaseProvider provider, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        var sqlServer = provider == DatabaseProvider.SqlServer;
        return type switch
        {
            _ when type == typeof(Guid) => sqlServer ? "uniqueidentifier" : "uuid",
            _ when type == typeof(int) => sqlServer ? "int" : "integer",
            _ when type == typeof(long) => "bigint",
            _ when type == typeof(decimal) => sqlServer ? "decimal(19,4)" : "numeric",
            _ when type == typeof(double) => sqlServer ? "float" : "double precision",
            _ when type == typeof(bool) => sqlServer ? "bit" : "boolean",
            _ when type == typeof(DateTime) => sqlServer ? "datetime2" : "timestamp without time zone",
            _ when type == typeof(DateOnly) => "date",
            _ when type == typeof(string) => sqlServer ? "nvarchar(max)" : "text",
            _ => throw new NotSupportedException($"No column type for {type.Name} in a row set."),
        };
    }

    /// <summary>
    /// The rows as a JSON array of objects keyed by <see cref="Names"/>. Times without an offset (the columns hold UTC
    /// without a zone), to the column's precision: microseconds on PostgreSQL, 100 ns on SQL Server's datetime2.
    /// </summary>
    public string Json(DatabaseProvider provider)
    {
        var time = provider == DatabaseProvider.PostgreSql ? "yyyy-MM-dd'T'HH:mm:ss.ffffff" : "yyyy-MM-dd'T'HH:mm:ss.fffffff";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(Names[i]);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case string s: json.WriteStringValue(s); break;
                        case Guid g: json.WriteStringValue(g); break;
                        case DateTime d: json.WriteStringValue(d.ToString(time, CultureInfo.InvariantCulture)); break;
                        case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        case int n: json.WriteNumberValue(n); break;
                        case long n: json.WriteNumberValue(n); break;
                        case decimal n: json.WriteNumberValue(n); break;
                        case double n: json.WriteNumberValue(n); break;
                        case Enum e: json.WriteNumberValue(Convert.ToInt64(e, CultureInfo.InvariantCulture)); break;
                        default: throw new NotSupportedException($"No JSON for {row[i]!.GetType().Name} in a row set.");
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>The columns of a row type: its property names and types, and each row's values in that order.</summary>
internal static class RowValues<TRow>
{
    private static readonly System.Reflection.PropertyInfo[] Properties = typeof(TRow).GetProperties();
    public static readonly IReadOnlyList<string> Names = Properties.Select(p => p.Name).ToList();
    public static readonly Type[] Types = Properties.Select(p => p.PropertyType).ToArray();

    // Compiled once per row type: a sale over 100 batches reads a thousand values.
    private static readonly Func<TRow, object?>[] Getters = Properties.Select(p =>
    {
        var row = System.Linq.Expressions.Expression.Parameter(typeof(TRow));
        var body = System.Linq.Expressions.Expression.Convert(System.Linq.Expressions.Expression.Property(row, p), typeof(object));
        return System.Linq.Expressions.Expression.Lambda<Func<TRow, object?>>(body, row).Compile();
    }).ToArray();

    public static object?[] Of(TRow row)
    {
        var values = new object?[Getters.Length];
        for (var i = 0; i < Getters.Length; i++) values[i] = Getters[i](row);
        return values;
    }
}

/// <summary>A guarded write found the stock changed since it was read; the operation is retried from a fresh read.</summary>
public sealed class StockConflictException(string message) : Exception(message);
