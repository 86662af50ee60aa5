using BackOffice.Web.Components;

namespace BackOffice.Tests.Foundation;

/// <summary>How money, counts and dates are written in an outlet's culture (the back-office's one seam for formats).</summary>
public sealed class FormatsTests
{
    private static readonly DateTime SixThirtyLondon = new(2026, 12, 1, 6, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void London_writes_pounds_days_and_times_the_british_way()
    {
        var london = Formats.ForOutlet("en-GB", "Europe/London");
        london.Money(1234.5m, "GBP").ShouldBe("£1,234.50");
        london.Money(-3m, "GBP").ShouldBe("-£3.00");
        london.Date(new DateOnly(2026, 12, 1)).ShouldBe("01/12/2026");
        london.DatePattern.ShouldBe("dd/MM/yyyy");
        london.Time(SixThirtyLondon).ShouldBe("01/12/2026 06:30");
        london.Count(1234567).ShouldBe("1,234,567");
        // Another currency by its code, set apart: a bare "$" would not say whose dollars.
        london.Money(1234.5m, "EUR").ShouldBe("EUR\u00A01,234.50");
    }

    [Fact]
    public void Paris_writes_euros_with_french_separators_and_local_time()
    {
        var paris = Formats.ForOutlet("fr-FR", "Europe/Paris");
        // .NET's ICU data groups thousands with a narrow no-break space (U+202F); the symbol is kept on the line by a no-break space.
        paris.Money(1234.5m, "EUR").ShouldBe("1\u202F234,50\u00A0€");
        paris.Count(1234567).ShouldBe("1\u202F234\u202F567");
        paris.Date(new DateOnly(2026, 12, 1)).ShouldBe("01/12/2026");
        paris.Time(SixThirtyLondon).ShouldBe("01/12/2026 07:30");
    }

    [Fact]
    public void New_York_writes_dollars_month_first_and_twelve_hour_times()
    {
        var newYork = Formats.ForOutlet("en-US", "America/New_York");
        newYork.Money(1234.5m, "USD").ShouldBe("$1,234.50");
        newYork.Date(new DateOnly(2026, 12, 1)).ShouldBe("12/1/2026");
        newYork.Time(SixThirtyLondon).ShouldBe("12/1/2026 1:30\u202FAM");
    }

    [Theory]
    [InlineData(2.5, "£2.50")]
    [InlineData(2.125, "£2.125")]
    [InlineData(0.12345, "£0.1235")]
    public void Unit_costs_show_two_decimals_and_more_only_where_the_cost_has_them(double cost, string expected) =>
        Formats.ForOutlet("en-GB", null).UnitCost((decimal)cost, "GBP").ShouldBe(expected);

    [Fact]
    public void Money_takes_the_currencys_minor_unit_and_totals_stay_per_currency()
    {
        var london = Formats.ForOutlet("en-GB", null);
        london.Money(1234m, "JPY").ShouldBe("JPY\u00A01,234");
        london.Money([new(12m, "EUR"), new(8.5m, "GBP")]).ShouldBe("EUR\u00A012.00 · £8.50");
        // With no outlet in view, times are in UTC and say so.
        london.Time(SixThirtyLondon).ShouldBe("01/12/2026 06:30 UTC");
    }
}
