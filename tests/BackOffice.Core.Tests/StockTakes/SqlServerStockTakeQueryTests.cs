using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.StockTakes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.StockTakes;

/// <summary>The stock-take and products-page queries translate for SQL Server too (printed with no server).</summary>
public sealed class SqlServerStockTakeQueryTests
{
    private static BackOfficeDb SqlServer() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseBackOfficeDatabase(DatabaseProvider.SqlServer, "Server=none;Database=BackOffice;Trusted_Connection=True;TrustServerCertificate=True").Options);

    [Fact]
    public void Movements_since_the_snapshot_are_one_grouped_query_on_the_outlet_time_index()
    {
        using var db = SqlServer();
        var sql = new StockTakeService(db, TimeProvider.System, NoStockChangeNotifier.Instance).MovedSinceSnapshot(7).ToQueryString();

        sql.ShouldContain("GROUP BY [m].[ProductId]");
        sql.ShouldContain("[m].[CreatedAt] > [s].[SnapshotAt]");
        sql.ShouldContain("SUM([m].[Quantity])");
    }

    [Fact]
    public void Count_lines_join_their_product_and_optional_batch()
    {
        using var db = SqlServer();
        var sql = new StockTakeService(db, TimeProvider.System, NoStockChangeNotifier.Instance).Lines(7).ToQueryString();

        sql.ShouldContain("LEFT JOIN [Batches]");
        sql.ShouldContain("INNER JOIN [Products]");
    }

    [Fact]
    public void The_products_page_pages_products_before_summing_their_stock()
    {
        using var db = SqlServer();
        var page = db.Products.OrderBy(p => p.Name).Skip(25).Take(25);
        var sql = db.StockAt(1, new DateOnly(2026, 11, 24), page).ToQueryString();

        sql.ShouldContain("OFFSET");
        sql.ShouldContain("SUM([b].[OnHand])");
    }
}
