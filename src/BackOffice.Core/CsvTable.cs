using System.Globalization;
using CsvHelper;

namespace BackOffice.Core;

/// <summary>
/// The CSV reading of the imports, in one place: a header naming the columns (any case, any order, known names only, each
/// once), then data rows read by column name. A bad header or malformed CSV is a file-level <see cref="Error"/>; a row
/// is handed over as it is, with <see cref="FieldCountError"/> when its length differs from the header's.
/// </summary>
internal sealed class CsvTable : IDisposable
{
    private readonly CsvReader? _csv;
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _headerLength;
    private string[] _fields = [];

    private CsvTable(CsvReader? csv, int headerLength, string? error)
    {
        _csv = csv;
        _headerLength = headerLength;
        Error = error;
    }

    /// <summary>Why the file cannot be read (header or CSV format); null while it can.</summary>
    public string? Error { get; private set; }

    /// <summary>The current row's line in the file (the header is line 1).</summary>
    public int Line { get; private set; }

    /// <summary>"The row has 4 fields; the header has 5." for a row of another length than the header.</summary>
    public string? FieldCountError => _fields.Length == _headerLength ? null : $"The row has {_fields.Length} fields; the header has {_headerLength}.";

    /// <summary>
    /// Opens the file and reads its header. <paramref name="separator"/> null detects it (<c>,</c> <c>;</c> tab or <c>|</c>).
    /// <paramref name="aliases"/> maps other header names (compared ignoring case) to a column of <paramref name="columns"/>.
    /// </summary>
    /// <paramref name="patternColumn"/> names a column the list cannot (e.g. "price_EUR" for any currency), or null; the
    /// unknown-column message then adds <paramref name="patternHint"/>.
    public static CsvTable Open(TextReader text, IReadOnlyList<string> columns, IReadOnlyList<string> required, char? separator = ',',
        IReadOnlyDictionary<string, string>? aliases = null, Func<string, string?>? patternColumn = null, string? patternHint = null)
    {
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        var expected = "The first line must be the header (" + string.Join(",", columns) + ").";
        CsvReader? csv = null;
        try
        {
            csv = CsvReader.Create(text, options);
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            var table = new CsvTable(csv, header.Length, null);
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return table.Fail("The file is empty: the first line must be the header (" + string.Join(",", columns) + ").");
            for (var i = 0; i < header.Length; i++)
            {
                var name = header[i].Trim();
                var column = columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? (aliases is not null && aliases.FirstOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Value: { } v } ? v : null)
                    ?? patternColumn?.Invoke(name);
                if (column is null) return table.Fail($"Unknown column '{name}' in the header. The columns are {string.Join(", ", columns)}{patternHint}.");
                if (!table._index.TryAdd(column, i)) return table.Fail($"The column '{column}' appears twice in the header.");
            }
            var missing = required.Where(c => !table._index.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                return table.Fail($"The header lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}. {expected}");
            return table;
        }
        catch (CsvFormatException e)
        {
            csv?.Dispose();
            return new CsvTable(null, 0, Malformed(e));
        }
    }

    /// <summary>Whether the header has the column.</summary>
    public bool Has(string column) => _index.ContainsKey(column);

    /// <summary>The header's columns, by their canonical names.</summary>
    public IEnumerable<string> HeaderColumns => _index.Keys;

    /// <summary>The next data row; false at the end of the file, or when it is not valid CSV (then <see cref="Error"/>).</summary>
    public bool Read()
    {
        if (Error is not null || _csv is null) return false;
        try
        {
            if (!_csv.Read()) return false;
            Line = (int)_csv.LineNumber;
            var fields = new string[_csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = _csv.GetString(i) ?? "";
            _fields = fields;
            return true;
        }
        catch (CsvFormatException e)
        {
            Error = Malformed(e);
            return false;
        }
    }

    /// <summary>The current row's value of a column, trimmed; null when the field is empty or absent.</summary>
    public string? this[string column] =>
        _index.TryGetValue(column, out var i) && i < _fields.Length && _fields[i].Trim() is { Length: > 0 } v ? v : null;

    public void Dispose() => _csv?.Dispose();

    private CsvTable Fail(string error)
    {
        Error = error;
        return this;
    }

    private static string Malformed(CsvFormatException e) => $"The file is not valid CSV (line {e.LineNumber}): {e.Message}";
}
