using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Data;

/// <summary>
/// The locks whose SQL differs by provider, one statement each. SQLite needs none: a stock write holds the database's
/// write lock from its first statement (BEGIN IMMEDIATE). The server databases run READ COMMITTED and take them explicitly.
/// </summary>
public static class ProviderLocks
{
    /// <summary>One runner at a time for a job (two Hangfire servers firing the same schedule), held to the end of the transaction.</summary>
    public static Task TakeJobLockAsync(this BackOfficeDb db, string name, CancellationToken ct) => db.Database.Provider() switch
    {
        DatabaseProvider.SqlServer => db.Database.ExecuteSqlRawAsync(
            "DECLARE @r int; EXEC @r = sp_getapplock @Resource = {0}, @LockMode = N'Exclusive', " +
            "@LockOwner = N'Transaction', @LockTimeout = 120000; IF @r < 0 THROW 51000, 'Lock not granted.', 1;", [name], ct),
        DatabaseProvider.PostgreSql => db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext({0}))", [name], ct),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// Holds a sale until the end of the transaction, so that two returns of it at once take turns: the second reads what
    /// the first brought back before deciding what is left to return.
    /// </summary>
    public static Task LockSaleAsync(this BackOfficeDb db, Guid saleId, CancellationToken ct) => db.Database.Provider() switch
    {
        DatabaseProvider.SqlServer => db.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"Sales\" WITH (UPDLOCK, HOLDLOCK) WHERE \"Id\" = {0}", [saleId], ct),
        DatabaseProvider.PostgreSql => db.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"Sales\" WHERE \"Id\" = {0} FOR UPDATE", [saleId], ct),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// Lot statuses against new batches: a recall holds it exclusively, a receipt shared, until the end of the transaction.
    /// So a receipt either sees a recall that committed before it (its new batch of that lot is quarantined) or commits first
    /// (the recall then quarantines the batch it made); it can never slip a sellable batch past a recall.
    /// </summary>
    public static Task LockLotStatusesAsync(this BackOfficeDb db, bool exclusive, CancellationToken ct) => db.Database.Provider() switch
    {
        DatabaseProvider.SqlServer => db.Database.ExecuteSqlRawAsync(
            "DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'BackOffice.LotStatus', @LockMode = {0}, " +
            "@LockOwner = N'Transaction', @LockTimeout = 120000; IF @r < 0 THROW 51000, 'Lock not granted.', 1;", [exclusive ? "Exclusive" : "Shared"], ct),
        DatabaseProvider.PostgreSql => db.Database.ExecuteSqlRawAsync(
            exclusive ? "SELECT pg_advisory_xact_lock(hashtext('BackOffice.LotStatus'))" : "SELECT pg_advisory_xact_lock_shared(hashtext('BackOffice.LotStatus'))", ct),
        _ => Task.CompletedTask,
    };
}
