using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>The SQL Server SQL of the hot statements, printed with no server (ToQueryString).</summary>
public sealed class SqlServerQueryTests
{
    private static BackOfficeDb SqlServer() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseBackOfficeDatabase(DatabaseProvider.SqlServer, "Server=none;Database=BackOffice;Trusted_Connection=True;TrustServerCertificate=True").Options);

    [Fact]
    public void The_candidate_batch_read_takes_update_row_locks_and_never_skips_locked_rows()
    {
        using var db = SqlServer();
        var today = new DateOnly(2026, 11, 24);
        var sql = db.BatchesForUpdate().Where(b => b.OutletId == 1 && b.OnHand > 0).Where(ExpiryRule.IsSellableOn(today)).ToQueryString();

        sql.ShouldContain("WITH (UPDLOCK, ROWLOCK)");
        sql.ShouldNotContain("READPAST");
        sql.ShouldContain("[ExpiryDate] >= @");
    }

    [Fact]
    public void Available_quantity_is_summed_by_the_database()
    {
        using var db = SqlServer();
        var sql = db.StockAt(1, new DateOnly(2026, 11, 24)).ToQueryString();

        sql.ShouldContain("SUM([b].[OnHand])");
        sql.ShouldContain("MIN([b");
    }
}
