namespace BackOffice.Core.Tills;

/// <summary>A registered till. Only the SHA-256 of its token is stored.</summary>
public class Till
{
    public int Id { get; set; }
    public int OutletId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSeenAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    /// <summary>How many sales and returns the device said it still held, the last time it called (X-Till-Pending).</summary>
    public int? PendingOnDevice { get; set; }
    public DateTime? PendingReportedAt { get; set; }
    /// <summary>When the token was last re-issued (the old one stopped working then).</summary>
    public DateTime? TokenIssuedAt { get; set; }
}

/// <summary>A credential for an integration (ERP, supplier feed). Only its SHA-256 is stored.</summary>
public class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    /// <summary>What the key may do; the API refuses the rest (403).</summary>
    public ApiKeyScopes Scopes { get; set; }
    /// <summary>The outlets its receipts and stock reads are limited to; none listed = every outlet.</summary>
    public List<ApiKeyOutlet> Outlets { get; set; } = [];
}

/// <summary>An outlet an API key is limited to.</summary>
public class ApiKeyOutlet
{
    public int ApiKeyId { get; set; }
    public int OutletId { get; set; }
}

/// <summary>What an integration's key may do, one flag per group of integration routes.</summary>
[Flags]
public enum ApiKeyScopes
{
    None = 0,
    /// <summary>PUT /api/products/{sku}: create and change products and their prices.</summary>
    Products = 1,
    /// <summary>POST /api/receipts: receive goods (at the key's outlets).</summary>
    Receipts = 2,
    /// <summary>GET /api/stock/{outletCode}: read stock (of the key's outlets).</summary>
    Stock = 4,
    /// <summary>GET /api/lots/…, POST /api/lots/recall and /release: trace, recall and release lots.</summary>
    Lots = 8,
    All = Products | Receipts | Stock | Lots,
}

/// <summary>The scopes in the words of the API and the admin page.</summary>
public static class ApiKeyScope
{
    public static readonly IReadOnlyList<(ApiKeyScopes Scope, string Name, string Description)> Each =
    [
        (ApiKeyScopes.Products, "products", "Create and change products and prices"),
        (ApiKeyScopes.Receipts, "receipts", "Receive goods"),
        (ApiKeyScopes.Stock, "stock", "Read stock levels"),
        (ApiKeyScopes.Lots, "lots", "Trace, recall and release lots"),
    ];

    public static string NameOf(ApiKeyScopes scope) => Each.Single(s => s.Scope == scope).Name;

    public static IEnumerable<string> Names(ApiKeyScopes scopes) => Each.Where(s => scopes.HasFlag(s.Scope)).Select(s => s.Name);
}
