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
