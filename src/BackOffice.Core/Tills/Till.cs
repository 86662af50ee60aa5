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
}
