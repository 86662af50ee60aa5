using BackOffice.Core.Data;
using BackOffice.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tills;

public sealed record TillView(int Id, string Name, int OutletId, string OutletCode, DateTime CreatedAt, DateTime? LastSeenAt, DateTime? RevokedAt, DateTime? LastSaleAt,
    int? PendingOnDevice = null, DateTime? PendingReportedAt = null, int OpenRejected = 0);

/// <summary>A secret made now and shown once: only its hash is kept.</summary>
public sealed record IssuedSecret(int Id, string Secret);

public sealed record ApiKeyView(int Id, string Name, string? CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt,
    ApiKeyScopes Scopes, IReadOnlyList<string> OutletCodes);

/// <summary>Tills and integration API keys: registered with a random secret shown once, stored hashed, revoked.</summary>
public sealed class TillRegistry(BackOfficeDb db, TimeProvider clock)
{
    public Task<List<TillView>> TillsAsync(CancellationToken ct = default) =>
        (from t in db.Tills
         join o in db.Outlets on t.OutletId equals o.Id
         orderby t.RevokedAt != null, o.Code, t.Name
         select new TillView(t.Id, t.Name, t.OutletId, o.Code, t.CreatedAt, t.LastSeenAt, t.RevokedAt,
             db.Sales.Where(s => s.TillId == t.Id).Max(s => (DateTime?)s.RecordedAt), t.PendingOnDevice, t.PendingReportedAt,
             db.RejectedSales.Count(r => r.TillId == t.Id && r.Status == RejectedSaleStatus.Open && !db.Sales.Any(s => s.Id == r.SaleId)))).ToListAsync(ct);

    /// <summary>Registers a till for an outlet; the returned token is the only copy (the till pastes it once).</summary>
    public async Task<IssuedSecret> RegisterTillAsync(int outletId, string? name, CancellationToken ct = default)
    {
        var problems = new Problems();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) problems.Add("name", "Name the till, e.g. \"Counter 2\".");
        else if (name.Length > 100) problems.Add("name", "The name is at most 100 characters.");
        var outlet = await db.Outlets.Where(o => o.Id == outletId).Select(o => new { o.Code, o.ClosedAt }).FirstOrDefaultAsync(ct);
        if (outlet is null) problems.Add("outletId", "Choose an outlet.");
        else if (outlet.ClosedAt is not null) problems.Add("outletId", $"Outlet {outlet.Code} is closed: it takes no new tills. Reopen it first.");
        else if (name is not null && await db.Tills.AnyAsync(t => t.OutletId == outletId && t.Name == name && t.RevokedAt == null, ct))
            problems.Add("name", $"This outlet already has a till named '{name}'.");
        problems.ThrowIfAny("The till was not registered.");

        var token = Secrets.NewToken("till");
        var till = new Till { OutletId = outletId, Name = name!, TokenHash = Secrets.Hash(token), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Tills.Add(till);
        await db.SaveChangesAsync(ct);
        return new IssuedSecret(till.Id, token);
    }

    /// <summary>Revokes a till: its token stops working at once. Revoking twice is refused.</summary>
    public async Task RevokeTillAsync(int tillId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Tills.Where(t => t.Id == tillId && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (changed == 0) new Problems().Also("tillId", "The till is already revoked, or gone.").ThrowIfAny("The till was not revoked.");
    }

    /// <summary>
    /// A new token for the same till (same id, outlet and history); the old token stops working at once. Also reinstates a
    /// revoked till, so that a device holding unsent sales can upload them with the new token.
    /// </summary>
    public async Task<IssuedSecret> ReissueTokenAsync(int tillId, CancellationToken ct = default)
    {
        var till = await db.Tills.AsNoTracking().Where(t => t.Id == tillId).Select(t => new { t.Id, t.Name, t.OutletId, t.RevokedAt }).FirstOrDefaultAsync(ct);
        if (till is null) new Problems().Also("tillId", "There is no such till.").ThrowIfAny("The token was not re-issued.");
        if (await db.Outlets.AnyAsync(o => o.Id == till!.OutletId && o.ClosedAt != null, ct))
            new Problems().Also("tillId", "The till's outlet is closed: it takes no new till tokens. Reopen the outlet first (or import the device's export).")
                .ThrowIfAny("The token was not re-issued.");
        if (till!.RevokedAt is not null && await db.Tills.AnyAsync(t => t.Id != tillId && t.OutletId == till.OutletId && t.Name == till.Name && t.RevokedAt == null, ct))
            new Problems().Also("tillId", $"Another active till at this outlet is named '{till.Name}': revoke or rename it first.").ThrowIfAny("The token was not re-issued.");

        var token = Secrets.NewToken("till");
        var hash = Secrets.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Tills.Where(t => t.Id == tillId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.TokenHash, hash).SetProperty(t => t.RevokedAt, (DateTime?)null).SetProperty(t => t.TokenIssuedAt, now), ct);
        return new IssuedSecret(tillId, token);
    }

    public Task<List<ApiKeyView>> ApiKeysAsync(CancellationToken ct = default) =>
        db.ApiKeys.OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.Scopes,
                k.Outlets.Join(db.Outlets, a => a.OutletId, o => o.Id, (a, o) => o.Code).OrderBy(c => c).ToList()))
            .ToListAsync(ct);

    /// <summary>
    /// Creates an API key for an integration, allowed <paramref name="scopes"/> at <paramref name="outletIds"/> (none = every
    /// outlet); the returned key is the only copy.
    /// </summary>
    public async Task<IssuedSecret> CreateApiKeyAsync(string? name, string? createdBy, ApiKeyScopes scopes, IReadOnlyCollection<int>? outletIds = null,
        CancellationToken ct = default)
    {
        var problems = new Problems();
        name = name?.Trim();
        outletIds ??= [];
        if (string.IsNullOrEmpty(name)) problems.Add("name", "Name the key after what uses it, e.g. \"ERP feed\".");
        else if (name.Length > 100) problems.Add("name", "The name is at most 100 characters.");
        if ((scopes & ApiKeyScopes.All) == ApiKeyScopes.None) problems.Add("scopes", "Choose what the key may do.");
        else if ((scopes & ~ApiKeyScopes.All) != ApiKeyScopes.None) problems.Add("scopes", "Unknown scope.");
        if (outletIds.Count > 0 && await db.Outlets.CountAsync(o => outletIds.Contains(o.Id), ct) != outletIds.Distinct().Count())
            problems.Add("outlets", "One of the outlets does not exist.");
        problems.ThrowIfAny("The API key was not created.");

        var secret = Secrets.NewToken("key");
        var key = new ApiKey
        {
            Name = name!, KeyHash = Secrets.Hash(secret), CreatedBy = createdBy, CreatedAt = clock.GetUtcNow().UtcDateTime, Scopes = scopes,
            Outlets = outletIds.Distinct().Select(id => new ApiKeyOutlet { OutletId = id }).ToList(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new IssuedSecret(key.Id, secret);
    }

    public async Task RevokeApiKeyAsync(int keyId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        if (changed == 0) new Problems().Also("keyId", "The key is already revoked, or gone.").ThrowIfAny("The API key was not revoked.");
    }
}
