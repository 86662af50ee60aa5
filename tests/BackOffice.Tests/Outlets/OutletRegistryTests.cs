using BackOffice.Core.Outlets;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Tests.Outlets;

/// <summary>The outlet's fields as the registry checks and stores them, on the run's database.</summary>
public sealed class OutletRegistryTests : IDisposable
{
    private readonly ShopDatabase _db = new();
    private readonly FixedClock _clock = new(TestDatabase.SeedNow);

    public void Dispose() => _db.Dispose();

    private OutletRegistry Registry(out BackOffice.Core.Data.BackOfficeDb db)
    {
        db = _db.Open();
        return new OutletRegistry(db, _clock);
    }

    private static OutletForm London() => new()
    {
        Code = " ldn-02 ", Name = "Islington", Address = "1 Upper Street\nLondon", TimeZoneId = "Europe/London", Currency = "gbp", Culture = "en-GB",
        PricesIncludeTax = true, TaxRates = [new() { Category = "Standard", RatePercent = 20m }, new() { Category = "medicines", RatePercent = 0m }],
    };

    [Fact]
    public async Task A_valid_outlet_is_stored_normalized_with_its_tax_rates()
    {
        int id;
        using (var db = _db.Open()) id = await new OutletRegistry(db, _clock).CreateAsync(London());

        using var check = _db.Open();
        var outlet = await check.Outlets.Include(o => o.TaxRates).SingleAsync(o => o.Id == id);
        outlet.Code.ShouldBe("LDN-02");
        outlet.Currency.ShouldBe("GBP");
        outlet.Culture.ShouldBe("en-GB");
        outlet.PricesIncludeTax.ShouldBeTrue();
        outlet.ClosedAt.ShouldBeNull();
        outlet.TaxRates.OrderBy(r => r.Category).Select(r => (r.Category, r.RatePercent)).ShouldBe([("medicines", 0m), ("standard", 20m)]);
    }

    [Fact]
    public async Task Bad_fields_are_refused_each_on_its_field()
    {
        var form = new OutletForm
        {
            Code = "no spaces!", Name = " ", TimeZoneId = "Mars/Olympus", Currency = "ABC", Culture = "xx-NOPE",
            TaxRates = [new() { Category = "standard", RatePercent = 120m }, new() { Category = "STANDARD", RatePercent = 5.5555m }, new() { Category = "", RatePercent = null }],
        };
        var registry = Registry(out var db);
        using (db)
        {
            var error = await Should.ThrowAsync<ValidationFailedException>(() => registry.CreateAsync(form));
            error.Errors.Keys.ShouldBe(
                ["code", "name", "timeZoneId", "currency", "culture", "taxRates[0].ratePercent", "taxRates[1].category", "taxRates[1].ratePercent",
                 "taxRates[2].category", "taxRates[2].ratePercent"], ignoreOrder: true);
        }
        using var check = _db.Open();
        (await check.Outlets.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void The_invariant_culture_is_not_a_culture(string culture)
    {
        var problems = new Problems();
        var form = London();
        form.Culture = culture;
        OutletRules.Check(form, problems);
        problems.Any.ShouldBeTrue();
        OutletRules.KnownCulture("iv").ShouldBeNull();
        OutletRules.KnownCulture("fr-fr").ShouldBe("fr-FR");
    }

    [Fact]
    public void The_pickers_offer_iana_zones_and_iso_currencies()
    {
        OutletRules.TimeZoneIds.ShouldContain("Europe/Paris");
        OutletRules.Currencies.ShouldContain("EUR");
        OutletRules.Currencies.ShouldContain("USD");
        OutletRules.Currencies.ShouldNotContain("XYZ");
        OutletRules.CultureNames.ShouldContain("en-GB");
    }

    [Fact]
    public async Task A_code_is_unique_and_fixed_once_made_while_the_rest_is_edited()
    {
        int id;
        using (var db = _db.Open()) id = await new OutletRegistry(db, _clock).CreateAsync(London());
        using (var db = _db.Open())
            (await Should.ThrowAsync<ValidationFailedException>(() => new OutletRegistry(db, _clock).CreateAsync(London()))).Errors.Keys.ShouldBe(["code"]);

        var edit = London();
        edit.Code = "OTHER";
        edit.Name = "Islington Green";
        edit.TaxRates = [new() { Category = "standard", RatePercent = 17.5m }, new() { Category = "vitamins", RatePercent = 5m }];
        using (var db = _db.Open()) await new OutletRegistry(db, _clock).UpdateAsync(id, edit);

        using var check = _db.Open();
        var outlet = await check.Outlets.Include(o => o.TaxRates).SingleAsync();
        outlet.Code.ShouldBe("LDN-02");
        outlet.Name.ShouldBe("Islington Green");
        outlet.TaxRates.OrderBy(r => r.Category).Select(r => (r.Category, r.RatePercent)).ShouldBe([("standard", 17.5m), ("vitamins", 5m)]);
    }

    [Fact]
    public async Task Closing_and_reopening_are_each_done_once()
    {
        int id;
        using (var db = _db.Open()) id = await new OutletRegistry(db, _clock).CreateAsync(London());
        using (var db = _db.Open()) await new OutletRegistry(db, _clock).CloseAsync(id);
        using (var db = _db.Open())
        {
            (await db.Outlets.SingleAsync()).ClosedAt.ShouldBe(_clock.GetUtcNow().UtcDateTime);
            await Should.ThrowAsync<ValidationFailedException>(() => new OutletRegistry(db, _clock).CloseAsync(id));
        }
        using (var db = _db.Open()) await new OutletRegistry(db, _clock).ReopenAsync(id);
        using (var db = _db.Open())
        {
            (await db.Outlets.SingleAsync()).ClosedAt.ShouldBeNull();
            await Should.ThrowAsync<ValidationFailedException>(() => new OutletRegistry(db, _clock).ReopenAsync(id));
        }
    }
}
