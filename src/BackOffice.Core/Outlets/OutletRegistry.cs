using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Outlets;

public sealed record TaxRateView(string Category, decimal RatePercent);

public sealed record OutletView(int Id, string Code, string Name, string? Address, string TimeZoneId, string? Currency, string? Culture,
    bool PricesIncludeTax, DateTime? ClosedAt, IReadOnlyList<TaxRateView> TaxRates)
{
    public OutletForm ToForm() => new()
    {
        Code = Code, Name = Name, Address = Address, TimeZoneId = TimeZoneId, Currency = Currency, Culture = Culture, PricesIncludeTax = PricesIncludeTax,
        TaxRates = TaxRates.Select(r => new TaxRateForm { Category = r.Category, RatePercent = r.RatePercent }).ToList(),
    };
}

/// <summary>
/// Outlets: made, edited, closed and reopened by admins. A closed outlet keeps every row that names it (batches, sales,
/// movements) and refuses new tills, receipts and transfers in; its tills' uploads are still recorded, so nothing sold is lost.
/// The code is fixed once made: integrations, till setup codes and reports name outlets by it.
/// </summary>
public sealed class OutletRegistry(BackOfficeDb db, TimeProvider clock)
{
    public async Task<List<OutletView>> OutletsAsync(CancellationToken ct = default)
    {
        var outlets = await db.Outlets.AsNoTracking().Include(o => o.TaxRates)
            .OrderBy(o => o.ClosedAt != null).ThenBy(o => o.Code).ToListAsync(ct);
        return outlets.Select(View).ToList();
    }

    public static OutletView View(Outlet o) => new(o.Id, o.Code, o.Name, o.Address, o.TimeZoneId, o.Currency, o.Culture, o.PricesIncludeTax, o.ClosedAt,
        o.TaxRates.OrderBy(r => r.Category, StringComparer.Ordinal).Select(r => new TaxRateView(r.Category, r.RatePercent)).ToList());

    /// <summary>Makes an outlet; the code must be new. Returns its id.</summary>
    public async Task<int> CreateAsync(OutletForm form, CancellationToken ct = default)
    {
        var outlet = await AddAsync(form, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin made the same code between the check and the insert: the unique index said no.
            db.ChangeTracker.Clear();
            if (await db.Outlets.AnyAsync(o => o.Code == outlet.Code, ct)) throw DuplicateCode(outlet.Code);
            throw;
        }
        return outlet.Id;
    }

    /// <summary>Checks <paramref name="form"/> and adds the outlet to the context, unsaved (the first-run setup saves it with the admin).</summary>
    public async Task<Outlet> AddAsync(OutletForm form, CancellationToken ct = default, string prefix = "")
    {
        var problems = new Problems();
        OutletRules.Check(form, problems, prefix);
        if (!problems.Any && await db.Outlets.AnyAsync(o => o.Code == form.Code, ct))
            problems.Add(prefix + "code", $"An outlet with code {form.Code} already exists.");
        problems.ThrowIfAny("The outlet was not saved.");

        var outlet = new Outlet
        {
            Code = form.Code!, Name = form.Name!, Address = form.Address, TimeZoneId = form.TimeZoneId!, Currency = form.Currency, Culture = form.Culture,
            PricesIncludeTax = form.PricesIncludeTax,
            TaxRates = form.TaxRates.Select(r => new OutletTaxRate { Category = r.Category!, RatePercent = r.RatePercent!.Value }).ToList(),
        };
        db.Outlets.Add(outlet);
        return outlet;
    }

    /// <summary>Edits everything but the code (which is fixed); the tax rates are replaced by the form's.</summary>
    public async Task UpdateAsync(int outletId, OutletForm form, CancellationToken ct = default)
    {
        var outlet = await db.Outlets.Include(o => o.TaxRates).FirstOrDefaultAsync(o => o.Id == outletId, ct);
        var problems = new Problems();
        if (outlet is null) problems.Add("outletId", "There is no such outlet.");
        else
        {
            form.Code = outlet.Code;
            OutletRules.Check(form, problems, checkCode: false);
        }
        problems.ThrowIfAny("The outlet was not saved.");

        outlet!.Name = form.Name!;
        outlet.Address = form.Address;
        outlet.TimeZoneId = form.TimeZoneId!;
        outlet.Currency = form.Currency;
        outlet.Culture = form.Culture;
        outlet.PricesIncludeTax = form.PricesIncludeTax;
        var wanted = form.TaxRates.ToDictionary(r => r.Category!, r => r.RatePercent!.Value, StringComparer.Ordinal);
        outlet.TaxRates.RemoveAll(r => !wanted.ContainsKey(r.Category));
        foreach (var (category, percent) in wanted)
        {
            if (outlet.TaxRates.FirstOrDefault(r => r.Category == category) is { } existing) existing.RatePercent = percent;
            else outlet.TaxRates.Add(new OutletTaxRate { Category = category, RatePercent = percent });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Closes an outlet: it keeps its history and takes no new tills, receipts or transfers in.</summary>
    public async Task CloseAsync(int outletId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Outlets.Where(o => o.Id == outletId && o.ClosedAt == null).ExecuteUpdateAsync(s => s.SetProperty(o => o.ClosedAt, now), ct);
        if (changed == 0) new Problems().Also("outletId", "The outlet is already closed, or gone.").ThrowIfAny("The outlet was not closed.");
    }

    public async Task ReopenAsync(int outletId, CancellationToken ct = default)
    {
        var changed = await db.Outlets.Where(o => o.Id == outletId && o.ClosedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClosedAt, (DateTime?)null), ct);
        if (changed == 0) new Problems().Also("outletId", "The outlet is open already, or gone.").ThrowIfAny("The outlet was not reopened.");
    }

    private static ValidationFailedException DuplicateCode(string code) =>
        new("The outlet was not saved.", new Dictionary<string, string[]> { ["code"] = [$"An outlet with code {code} already exists."] });
}
