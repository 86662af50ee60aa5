using System.Globalization;
using System.Text.Json;
using BackOffice.Core.Lots;

namespace BackOffice.Core.Tests.Lots;

public sealed class Gs1Tests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    /// <summary>The scans the till's node tests read too: one rule, two implementations, one table.</summary>
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var v in Table().RootElement.GetProperty("vectors").EnumerateArray()) data.Add(v.GetProperty("why").GetString()!);
        return data;
    }

    private static JsonDocument Table()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BackOffice.sln"))) dir = dir.Parent;
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!.FullName, "tests", "shared", "gs1-vectors.json")));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Each_shared_vector_reads_as_the_till_reads_it(string why)
    {
        using var table = Table();
        var v = table.RootElement.GetProperty("vectors").EnumerateArray().Single(x => x.GetProperty("why").GetString() == why);
        string? Text(string name) => v.TryGetProperty(name, out var p) ? p.GetString() : null;
        var today = DateOnly.ParseExact(Text("today") ?? table.RootElement.GetProperty("today").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        var r = Gs1.Parse(v.GetProperty("scan").GetString(), today);

        r.Kind.ToString().ToLowerInvariant().ShouldBe(Text("kind"), why);
        r.Code.ShouldBe(Text("code"), why);
        r.Gtin14.ShouldBe(Text("gtin14"), why);
        r.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture).ShouldBe(Text("expiry"), why);
        if (r.Expiry is null) Text("expiry").ShouldBeNull(why);
        r.Lot.ShouldBe(Text("lot"), why);
        r.Serial.ShouldBe(Text("serial"), why);
        var other = v.TryGetProperty("other", out var o) ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
        r.Other.OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(other.OrderBy(p => p.Key, StringComparer.Ordinal), why);
        r.Error.ShouldBe(Text("error"), why);
        (r.Kind == ScanKind.Error).ShouldBe(r.Message is not null, $"{why}: an error says why, in words");
    }

    [Fact]
    public void The_table_has_every_form_a_scan_comes_in()
    {
        using var table = Table();
        var scans = table.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.GetProperty("scan").GetString()!).ToList();
        scans.Count.ShouldBeGreaterThanOrEqualTo(30);
        foreach (var form in new[] { "(01)", "\u001d", "]d2", "]C1", "]Q3" }) scans.ShouldContain(s => s.Contains(form, StringComparison.Ordinal), form);
    }

    [Fact]
    public void Messages_name_the_field_for_the_person_scanning()
    {
        Gs1.Parse("(01)05012345678901", Today).Message.ShouldBe("GTIN (01) 05012345678901 has a wrong check digit: scan it again, or type the code.");
        Gs1.Parse("(17)271331", Today).Message.ShouldBe("Expiry date (17) 271331 is not a real date (YYMMDD).");
        Gs1.Parse("(10)ABCDEFGHIJ0123456789K", Today).Message.ShouldBe("Lot (10) is longer than 20 characters: ABCDEFGHIJ0123456789K.");
        Gs1.Parse("]d201050123456789", Today).Message.ShouldBe("GTIN (01) is cut short: it needs 14 digits. Scan it again.");
    }

    [Theory]
    [InlineData("5012345678900", "05012345678900")]
    [InlineData(" 96385074 ", "00000096385074")]
    [InlineData("036000291452", "00036000291452")]
    [InlineData("10012345678902", "10012345678902")]
    [InlineData("5012345678901", null)]
    [InlineData("501234567891", null)]
    [InlineData("123456789", null)]
    [InlineData("50123456789O0", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_barcode_compares_as_GTIN_14(string? barcode, string? gtin14) => Gtin.ToGtin14(barcode).ShouldBe(gtin14);

    [Fact]
    public void A_GTIN_14_is_spelled_every_way_a_barcode_column_may_hold_it()
    {
        Gtin.Spellings("05012345678900").ShouldBe(["05012345678900", "5012345678900"]);
        Gtin.Spellings("00036000291452").ShouldBe(["00036000291452", "0036000291452", "036000291452"]);
        Gtin.Spellings("96385074").ShouldBe(["00000096385074", "0000096385074", "000096385074", "96385074"]);
        Gtin.Spellings("PARA-500").ShouldBeEmpty();
        Gtin.CheckDigitValid("106141411234567897").ShouldBeTrue();
        Gtin.CheckDigitValid("1").ShouldBeFalse();
    }
}
