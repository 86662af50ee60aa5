using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BackOffice.Core.Data;

/// <summary>
/// Several INSERT/UPDATE statements sent to the database as ONE command, so that a stock operation costs the same
/// number of round trips whatever the number of batches or lines it touches. Rows are typed (<see cref="StockTables"/>):
/// table and column names come from the EF model when the command is rendered. Values go in as EF-mapped parameters
/// (EF picks the provider's storage format for Guid, DateTime, DateOnly and decimal); whole numbers are inlined.
/// Identifiers are ANSI double-quoted, which both SQLite and SQL Server accept.
/// </summary>
internal sealed class WriteBatch
{
    // SQL Server accepts at most 1,000 rows per VALUES list and 2,100 parameters per command.
    private const int RowsPerInsert = 500;
    public const int ParametersPerCommand = 2000;

    /// <summary>What a statement is rendered for: the provider (only row tables and upserts differ) and the model (names).</summary>
    public readonly record struct Target(DatabaseProvider Provider, IModel Model)
    {
        public bool SqlServer => Provider == DatabaseProvider.SqlServer;
    }

    private readonly List<Func<Target, string>> _statements = [];
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

    /// <summary>
    /// A value as SQL: whole numbers and enums inline (they cannot carry injection and keep plans few), the rest a
    /// parameter, flags included (each provider writes a boolean its own way: 1, bit, true).
    /// </summary>
    public string Value(object? value) => value switch
    {
        null => "NULL",
        int i => N(i),
        long l => N(l),
        Enum e => N(Convert.ToInt32(e, CultureInfo.InvariantCulture)),
        _ => P(value),
    };

    public static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string N(int? value) => value is { } v ? N(v) : "NULL";

    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An UPDATE that must change exactly one row; its names from the model.</summary>
    public void UpdateOne(Func<IModel, string> sql) => Add(t => sql(t.Model) + ";\n", 1);

    /// <summary>INSERT of typed rows in as few statements as SQL Server allows.</summary>
    public void Insert<TRow>(StockTable<TRow> table, IReadOnlyCollection<TRow> rows)
    {
        foreach (var (values, count) in ValuesLists(rows.Select(r => table.Values(this, r)).ToList()))
            Add(t =>
            {
                var (name, columns) = table.Resolve(t.Model);
                return $"INSERT INTO {name} ({columns}) VALUES\n{values};\n";
            }, count);
    }

    /// <summary>
    /// A statement over many rows of values, each of which must change exactly one row: the rows are the table <c>v</c>
    /// (a CTE over VALUES, its columns named as <typeparamref name="TRow"/>'s properties) for <paramref name="statement"/>.
    /// SQLite compiles a short VALUES row far faster than an INSERT row with sub-selects or a long OR/CASE, which is what
    /// keeps a sale over 100 batches cheap.
    /// </summary>
    public void ForEachRow<TRow>(IReadOnlyCollection<TRow> rows, Func<IModel, string> statement)
    {
        var columns = string.Join(", ", RowValues<TRow>.Names.Select(n => $"\"{n}\""));
        foreach (var (values, count) in ValuesLists(rows.Select(r => RowValues<TRow>.Values(this, r)).ToList()))
            Add(t => t.SqlServer
                // SQL Server has no CTE over bare VALUES; SQLite has no column list on a derived table's alias.
                ? $"WITH v({columns}) AS (SELECT * FROM (VALUES\n{values}) AS r({columns}))\n{statement(t.Model)};\n"
                : $"WITH v({columns}) AS (VALUES\n{values})\n{statement(t.Model)};\n", count);
    }

    /// <summary>
    /// Adds rows of totals to a table keyed by <paramref name="key"/> (row properties): a row whose key exists has each other
    /// column added to it, a new key is inserted (SQLite's upsert; SQL Server's MERGE, holding the key range so that two
    /// writers cannot both insert it). Keys must be distinct within the call; each row counts as one changed row on both providers.
    /// </summary>
    public void AddTo<TRow>(StockTable<TRow> table, IReadOnlyList<string> key, IReadOnlyCollection<TRow> rows)
    {
        var amounts = table.PropertyNames.Except(key).ToList();
        foreach (var (values, count) in ValuesLists(rows.Select(r => table.Values(this, r)).ToList()))
            Add(t =>
            {
                var (name, columns) = table.Resolve(t.Model);
                string C(string property) => table.Column(t.Model, property);
                string List(IEnumerable<string> properties, string prefix = "") => string.Join(", ", properties.Select(p => prefix + C(p)));
                return t.SqlServer
                    ? $"MERGE {name} WITH (HOLDLOCK) AS t USING (VALUES\n{values}) AS s ({columns})\n" +
                      $"ON {string.Join(" AND ", key.Select(k => $"t.{C(k)} = s.{C(k)}"))}\n" +
                      $"WHEN MATCHED THEN UPDATE SET {string.Join(", ", amounts.Select(a => $"{C(a)} = t.{C(a)} + s.{C(a)}"))}\n" +
                      $"WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({List(table.PropertyNames, "s.")});\n"
                    // PostgreSQL sees both the table and excluded in SET: the row's own column is named with its table there.
                    : $"INSERT INTO {name} ({columns}) VALUES\n{values}\n" +
                      $"ON CONFLICT ({List(key)}) DO UPDATE SET {string.Join(", ", amounts.Select(a =>
                          $"{C(a)} = {(t.Provider == DatabaseProvider.PostgreSql ? name + "." : "")}{C(a)} + excluded.{C(a)}"))};\n";
            }, count);
    }

    private void Add(Func<Target, string> statement, int rows)
    {
        _statements.Add(statement);
        ExpectedRows += rows;
    }

    /// <summary>
    /// The rows as VALUES lists (one statement each), with their counts: at most <see cref="RowsPerInsert"/> rows and
    /// <see cref="ParametersPerCommand"/> distinct parameters a list, so that every statement fits a SQL Server command.
    /// </summary>
    private static IEnumerable<(string Values, int Count)> ValuesLists(IReadOnlyList<string> rows)
    {
        var chunk = new List<string>();
        var used = new HashSet<string>();
        foreach (var row in rows)
        {
            var mine = Placeholders(row).ToList();
            if (chunk.Count > 0 && (chunk.Count == RowsPerInsert || used.Count + mine.Count(m => !used.Contains(m)) > ParametersPerCommand))
            {
                yield return (string.Join(",\n", chunk.Select(r => "(" + r + ")")), chunk.Count);
                chunk.Clear();
                used.Clear();
            }
            chunk.Add(row);
            used.UnionWith(mine);
        }
        if (chunk.Count > 0) yield return (string.Join(",\n", chunk.Select(r => "(" + r + ")")), chunk.Count);
    }

    private static readonly System.Text.RegularExpressions.Regex Placeholder = new(@"\{(\d+)\}", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static IEnumerable<string> Placeholders(string sql) => Placeholder.Matches(sql).Select(m => m.Value).Distinct();

    /// <summary>Lets a test see the writes an operation sends (its SQL for another provider, its parameter counts).</summary>
    internal static readonly AsyncLocal<Action<WriteBatch>?> Observer = new();

    /// <summary>
    /// Runs the statements as one command (SQL Server: as few commands as its 2,100 parameters allow, in the same
    /// transaction); throws <see cref="StockConflictException"/> when a guard failed.
    /// </summary>
    public async Task ExecuteAsync(BackOfficeDb db, CancellationToken ct)
    {
        if (IsEmpty) return;
        Observer.Value?.Invoke(this);
        var changed = 0;
        foreach (var (sql, parameters) in Commands(db.Database.Provider(), db.Model))
            changed += await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
        if (changed != ExpectedRows)
            throw new StockConflictException($"Expected {ExpectedRows} rows to change, {changed} did: the stock moved meanwhile.");
    }

    /// <summary>
    /// The commands for one provider and model, each with its <c>{n}</c> placeholders and their values. One command, except
    /// on SQL Server where statements are grouped so that no command carries more than <see cref="ParametersPerCommand"/>.
    /// </summary>
    public IReadOnlyList<(string Sql, IReadOnlyList<object> Parameters)> Commands(DatabaseProvider provider, IModel model)
    {
        var statements = _statements.Select(s => s(new Target(provider, model))).ToList();
        if (provider != DatabaseProvider.SqlServer || _parameters.Count <= ParametersPerCommand)
            return [(string.Concat(statements), _parameters)];
        var commands = new List<(string, IReadOnlyList<object>)>();
        var group = new List<string>();
        var used = new HashSet<int>();
        void Flush()
        {
            if (group.Count == 0) return;
            var order = used.Order().ToList();
            var map = order.Select((old, i) => (old, i)).ToDictionary(x => x.old, x => x.i);
            var sql = Placeholder.Replace(string.Concat(group), m => "{" + map[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] + "}");
            commands.Add((sql, order.Select(i => _parameters[i]).ToList()));
            group.Clear();
            used.Clear();
        }
        foreach (var statement in statements)
        {
            var mine = Placeholder.Matches(statement).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
            if (group.Count > 0 && used.Count + mine.Count(i => !used.Contains(i)) > ParametersPerCommand) Flush();
            group.Add(statement);
            used.UnionWith(mine);
        }
        Flush();
        return commands;
    }

    /// <summary>The command text for one provider and model, with <c>{n}</c> placeholders for the parameters.</summary>
    public string Sql(DatabaseProvider provider, IModel model) => string.Concat(_statements.Select(s => s(new Target(provider, model))));

}

/// <summary>The columns of a row type that is not a table (the <c>v</c> of <see cref="WriteBatch.ForEachRow{TRow}"/>): its property names.</summary>
internal static class RowValues<TRow>
{
    private static readonly System.Reflection.PropertyInfo[] Properties = typeof(TRow).GetProperties();
    public static readonly IReadOnlyList<string> Names = Properties.Select(p => p.Name).ToList();

    // Compiled once per row type: a sale over 100 batches reads a thousand values.
    private static readonly Func<TRow, object?>[] Getters = Properties.Select(p =>
    {
        var row = System.Linq.Expressions.Expression.Parameter(typeof(TRow));
        var body = System.Linq.Expressions.Expression.Convert(System.Linq.Expressions.Expression.Property(row, p), typeof(object));
        return System.Linq.Expressions.Expression.Lambda<Func<TRow, object?>>(body, row).Compile();
    }).ToArray();

    public static string Values(WriteBatch w, TRow row)
    {
        var values = new string[Getters.Length];
        for (var i = 0; i < Getters.Length; i++) values[i] = w.Value(Getters[i](row));
        return string.Join(", ", values);
    }
}

/// <summary>A guarded write found the stock changed since it was read; the operation is retried from a fresh read.</summary>
public sealed class StockConflictException(string message) : Exception(message);
