namespace BackOffice.Core.Inventory;

/// <summary>Where a stock change comes from: the outlet, the till, the person (a sale's, a return's, a movement's "by").</summary>
public sealed record Counter(int OutletId, int? TillId = null, string? UserName = null);
