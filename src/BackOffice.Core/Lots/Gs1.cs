using System.Globalization;

namespace BackOffice.Core.Lots;

/// <summary>What a scan turned out to be.</summary>
public enum ScanKind
{
    /// <summary>Not a GS1 element string: a barcode or a sku, to look up as typed (and as GTIN-14 when it is one).</summary>
    Plain,

    /// <summary>A GS1 element string (bracketed, or digits with GS separators, or with a GS1 symbology prefix).</summary>
    Gs1,

    /// <summary>A GS1 string that cannot be read; <see cref="Gs1Scan.Message"/> says why.</summary>
    Error,
}

/// <summary>
/// A parsed scan. <see cref="Code"/> is the plain code (prefix and spaces removed); <see cref="Gtin14"/> the GTIN of (01), or a
/// plain code that is a valid GTIN, as 14 digits; <see cref="Other"/> every other AI's raw value by AI.
/// <see cref="Error"/> is a stable key (the shared test vectors name it); <see cref="Message"/> is for the person scanning.
/// </summary>
public sealed record Gs1Scan(
    ScanKind Kind,
    string? Code,
    string? Gtin14,
    DateOnly? Expiry,
    string? Lot,
    string? Serial,
    IReadOnlyDictionary<string, string> Other,
    string? Error,
    string? Message);

/// <summary>GTIN rules: check digits, and the 14-digit form every barcode is compared in.</summary>
public static class Gtin
{
    /// <summary>True for a string of 2+ digits whose last digit is the GS1 mod-10 check digit of the others.</summary>
    public static bool CheckDigitValid(string? digits)
    {
        if (digits is null || digits.Length < 2 || !digits.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        // Weights 3,1,3,… from the digit left of the check digit, whatever the length.
        for (int i = digits.Length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += (digits[i] - '0') * w;
        return (10 - sum % 10) % 10 == digits[^1] - '0';
    }

    /// <summary>
    /// EAN-8, UPC-A, EAN-13 or GTIN-14 left-padded to 14 digits, so the same product matches whichever form a label or a
    /// supplier file uses; null when <paramref name="barcode"/> is not a valid GTIN (length, non-digits, check digit).
    /// </summary>
    public static string? ToGtin14(string? barcode)
    {
        var b = barcode?.Trim();
        if (b is null || b.Length is not (8 or 12 or 13 or 14) || !CheckDigitValid(b)) return null;
        return b.PadLeft(14, '0');
    }

    /// <summary>
    /// The ways a barcode column may hold this GTIN (14, 13, 12 and 8 digits, where the dropped digits are zeros), so a query
    /// can match a GTIN-14 on the stored barcode without a schema change. Empty when <paramref name="barcode"/> is no GTIN.
    /// </summary>
    public static IReadOnlyList<string> Spellings(string? barcode)
    {
        var g = ToGtin14(barcode);
        if (g is null) return [];
        return new[] { 14, 13, 12, 8 }.Where(n => g[..(14 - n)].All(c => c == '0')).Select(n => g[(14 - n)..]).ToList();
    }
}

/// <summary>
/// GS1 element strings as scanners send them and people type them: <c>(01)05012345678900(17)270331(10)L2391</c>, the same digits
/// with GS (ASCII 29) after each variable-length field, a leading FNC1 (GS), or a <c>]C1</c>/<c>]d2</c>/<c>]Q3</c>/<c>]e0</c>
/// symbology prefix. The till's gs1.js follows the same rules; tests/shared/gs1-vectors.json holds the cases both must pass.
/// </summary>
public static class Gs1
{
    public const char GroupSeparator = '\u001d';

    private static readonly string[] Gs1Prefixes = ["]C1", "]d2", "]Q3", "]e0", "]J1"];

    private enum Format { Alphanumeric, Numeric, Date }

    /// <summary>
    /// One AI: <paramref name="Predefined"/> fields have a fixed length known from their first two digits and need no GS after
    /// them; every other field ends at GS or at the end of the string.
    /// </summary>
    private sealed record Ai(string Name, int Min, int Max, Format Format, bool Predefined = false, bool CheckDigit = false);

    private static readonly Dictionary<string, Ai> Ais = BuildAis();

    private static Dictionary<string, Ai> BuildAis()
    {
        var ais = new Dictionary<string, Ai>
        {
            ["00"] = new("SSCC", 18, 18, Format.Numeric, true, true),
            ["01"] = new("GTIN", 14, 14, Format.Numeric, true, true),
            ["02"] = new("GTIN of contained items", 14, 14, Format.Numeric, true, true),
            ["10"] = new("lot", 1, 20, Format.Alphanumeric),
            ["11"] = new("production date", 6, 6, Format.Date, true),
            ["12"] = new("due date", 6, 6, Format.Date, true),
            ["13"] = new("packaging date", 6, 6, Format.Date, true),
            ["15"] = new("best before date", 6, 6, Format.Date, true),
            ["16"] = new("sell by date", 6, 6, Format.Date, true),
            ["17"] = new("expiry date", 6, 6, Format.Date, true),
            ["20"] = new("variant", 2, 2, Format.Numeric, true),
            ["21"] = new("serial number", 1, 20, Format.Alphanumeric),
            ["22"] = new("consumer product variant", 1, 20, Format.Alphanumeric),
            ["240"] = new("additional product id", 1, 30, Format.Alphanumeric),
            ["241"] = new("customer part number", 1, 30, Format.Alphanumeric),
            ["30"] = new("variable count", 1, 8, Format.Numeric),
            ["37"] = new("count of trade items", 1, 8, Format.Numeric),
            ["400"] = new("order number", 1, 30, Format.Alphanumeric),
            ["422"] = new("country of origin", 3, 3, Format.Numeric),
            ["90"] = new("internal information", 1, 30, Format.Alphanumeric),
        };
        // Measures (31nn–36nn: the 4th digit is the decimal point's position) and GLNs (410–417) have predefined lengths.
        for (var group = 31; group <= 36; group++)
            for (var n = 0; n <= 99; n++)
                ais[$"{group}{n:00}"] = new("measure", 6, 6, Format.Numeric, true);
        for (var n = 0; n <= 7; n++) ais[$"41{n}"] = new("location number (GLN)", 13, 13, Format.Numeric, true, true);
        // National healthcare reimbursement numbers (PZN, CIP, …), which pharmacy packs carry.
        for (var n = 710; n <= 715; n++) ais[$"{n}"] = new("national healthcare number", 1, 20, Format.Alphanumeric);
        for (var n = 91; n <= 99; n++) ais[$"{n}"] = new("company internal information", 1, 90, Format.Alphanumeric);
        return ais;
    }

    /// <summary>
    /// Reads a scan. <paramref name="today"/> chooses the century of two-digit years (the date is placed within −49…+50 years
    /// of it, as GS1 says). Never throws: bad GS1 input comes back as <see cref="ScanKind.Error"/>.
    /// </summary>
    public static Gs1Scan Parse(string? scan, DateOnly today)
    {
        var s = scan?.Trim() ?? "";
        if (s.Length == 0) return Fail("empty", "The scan is empty.");
        var forced = false;
        if (s.Length >= 3 && s[0] == ']')
        {
            if (Gs1Prefixes.Contains(s[..3], StringComparer.Ordinal)) { forced = true; s = s[3..]; }
            else if (char.IsAsciiLetter(s[1]) && char.IsAsciiDigit(s[2]))
            {
                // Another symbology's prefix (]E0 for an EAN-13, ]d1 for a non-GS1 DataMatrix…): the rest is a plain code.
                s = s[3..].Trim();
                return s.Length == 0 ? Fail("empty", "The scan is empty.") : Plain(s);
            }
        }
        if (s.Length > 0 && s[0] == GroupSeparator) { forced = true; s = s.TrimStart(GroupSeparator); }
        s = s.Trim();
        if (s.StartsWith('(')) return Read(Bracketed(s), today);
        if (forced || s.Contains(GroupSeparator) || LooksLikeElementString(s)) return Read(Separated(s), today);
        return Plain(s);
    }

    /// <summary>Digits from a scanner that sent neither prefix nor GS: a GTIN in (01) followed by more fields.</summary>
    private static bool LooksLikeElementString(string s) =>
        s.Length > 16 && s.StartsWith("01", StringComparison.Ordinal) && Gtin.CheckDigitValid(s[2..16]);

    private static Gs1Scan Plain(string code) =>
        new(ScanKind.Plain, code, Gtin.ToGtin14(code), null, null, null, new Dictionary<string, string>(), null, null);

    private static Gs1Scan Fail(string error, string message) =>
        new(ScanKind.Error, null, null, null, null, null, new Dictionary<string, string>(), error, message);

    /// <summary>A field as split out of the string, or why the string could not be split.</summary>
    private sealed record Field(string Ai, string Value);

    private sealed record Split(List<Field> Fields, Gs1Scan? Failure);

    private static Split Separated(string s)
    {
        var fields = new List<Field>();
        var pos = 0;
        while (pos < s.Length)
        {
            if (s[pos] == GroupSeparator) { pos++; continue; }
            var ai = FindAi(s, pos);
            if (ai is null) return new(fields, UnknownAi(s[pos..Math.Min(s.Length, pos + 4)]));
            var spec = Ais[ai];
            pos += ai.Length;
            string value;
            if (spec.Predefined)
            {
                var end = s.IndexOf(GroupSeparator, pos);
                var available = (end < 0 ? s.Length : end) - pos;
                if (available < spec.Max) return new(fields, Truncated(ai, spec));
                value = s.Substring(pos, spec.Max);
            }
            else
            {
                var end = s.IndexOf(GroupSeparator, pos);
                value = s[pos..(end < 0 ? s.Length : end)];
            }
            pos += value.Length;
            fields.Add(new(ai, value));
        }
        return new(fields, null);
    }

    private static string? FindAi(string s, int pos)
    {
        for (var n = 2; n <= 4 && pos + n <= s.Length; n++)
        {
            var candidate = s.Substring(pos, n);
            if (!candidate.All(char.IsAsciiDigit)) return null;
            if (Ais.ContainsKey(candidate)) return candidate;
        }
        return null;
    }

    private static Split Bracketed(string s)
    {
        var fields = new List<Field>();
        var pos = 0;
        while (pos < s.Length)
        {
            if (char.IsWhiteSpace(s[pos]) || s[pos] == GroupSeparator) { pos++; continue; }
            var close = s[pos] == '(' ? s.IndexOf(')', pos) : -1;
            if (close < 0) return new(fields, Fail("malformed", "This is not a readable GS1 code: each field starts with its number in brackets, like (01)."));
            var ai = s[(pos + 1)..close].Trim();
            if (ai.Length is < 2 or > 4 || !ai.All(char.IsAsciiDigit))
                return new(fields, Fail("malformed", $"This is not a readable GS1 code: \"({ai})\" is not a field number."));
            if (!Ais.ContainsKey(ai)) return new(fields, UnknownAi(ai));
            var next = NextBracket(s, close + 1);
            // Spaces around the brackets are how people type it; no GS1 field may contain a space, so dropping them loses nothing.
            var value = s[(close + 1)..next].Trim().Trim(GroupSeparator).Trim();
            var spec = Ais[ai];
            if (value.Length < spec.Min && value.Length > 0 || spec.Predefined && value.Length < spec.Max) return new(fields, Truncated(ai, spec));
            fields.Add(new(ai, value));
            pos = next;
        }
        return new(fields, null);
    }

    /// <summary>Where the next "(nn)" starts, or the end: a lone "(" may be part of a value.</summary>
    private static int NextBracket(string s, int from)
    {
        for (var i = s.IndexOf('(', from); i >= 0; i = s.IndexOf('(', i + 1))
        {
            var close = s.IndexOf(')', i);
            if (close < 0) break;
            var inside = s[(i + 1)..close].Trim();
            if (inside.Length is >= 2 and <= 4 && inside.All(char.IsAsciiDigit)) return i;
        }
        return s.Length;
    }

    private static Gs1Scan Read(Split split, DateOnly today)
    {
        if (split.Failure is not null) return split.Failure;
        if (split.Fields.Count == 0) return Fail("empty", "The scan is empty.");
        var values = new Dictionary<string, string>();
        DateOnly? expiry = null;
        foreach (var (ai, value) in split.Fields)
        {
            var spec = Ais[ai];
            var label = $"{Capitalised(spec.Name)} ({ai})";
            if (value.Length == 0) return Fail("bad-value", $"{label} is empty.");
            if (value.Length > spec.Max) return Fail("too-long", $"{label} is longer than {spec.Max} characters: {Shown(value)}.");
            if (spec.Format != Format.Alphanumeric && !value.All(char.IsAsciiDigit) || spec.Format == Format.Alphanumeric && !value.All(IsGs1Character))
                return Fail("bad-value", $"{label} has characters it cannot contain: {Shown(value)}.");
            if (spec.CheckDigit && !Gtin.CheckDigitValid(value))
                return Fail("check-digit", $"{label} {value} has a wrong check digit: scan it again, or type the code.");
            if (spec.Format == Format.Date)
            {
                var date = Date(value, today);
                if (date is null) return Fail("bad-date", $"{label} {value} is not a real date (YYMMDD).");
                if (ai == "17") expiry = date;
            }
            if (values.TryGetValue(ai, out var earlier) && earlier != value)
                return Fail("duplicate-ai", $"{label} appears twice with different values: {earlier} and {value}.");
            values[ai] = value;
        }
        var other = values.Where(v => v.Key is not ("01" or "17" or "10" or "21")).ToDictionary(v => v.Key, v => v.Value);
        return new(ScanKind.Gs1, null, values.GetValueOrDefault("01"), expiry, values.GetValueOrDefault("10"), values.GetValueOrDefault("21"), other, null, null);
    }

    /// <summary>
    /// YYMMDD, the century chosen so the year is within −49…+50 years of today (GS1 General Specifications, 7.12); day 00 is
    /// the last day of the month.
    /// </summary>
    private static DateOnly? Date(string yymmdd, DateOnly today)
    {
        var yy = int.Parse(yymmdd[..2], CultureInfo.InvariantCulture);
        var month = int.Parse(yymmdd[2..4], CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd[4..], CultureInfo.InvariantCulture);
        var difference = yy - today.Year % 100;
        var century = today.Year / 100 * 100 + (difference >= 51 ? -100 : difference <= -50 ? 100 : 0);
        var year = century + yy;
        if (month is < 1 or > 12 || year is < 1 or > 9999) return null;
        var last = DateTime.DaysInMonth(year, month);
        if (day > last) return null;
        return new DateOnly(year, month, day == 0 ? last : day);
    }

    /// <summary>GS1's character set 82 (the printable ASCII a lot or serial may hold; no space).</summary>
    private static bool IsGs1Character(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!\"%&'()*+,-./:;<=>?_".Contains(c);

    private static Gs1Scan UnknownAi(string ai) =>
        Fail("unknown-ai", $"The code has a field this shop does not read ({Shown(ai)}…): scan the pack's other barcode, or type the product.");

    private static Gs1Scan Truncated(string ai, Ai spec) =>
        Fail("truncated", $"{Capitalised(spec.Name)} ({ai}) is cut short: it needs {spec.Max} digits. Scan it again.");

    private static string Shown(string value) => value.Replace(GroupSeparator.ToString(), "<GS>", StringComparison.Ordinal);

    private static string Capitalised(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
