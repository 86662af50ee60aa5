using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
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

    [Fact]
    public void A_sale_adds_to_its_day_with_one_MERGE_that_holds_the_key_range()
    {
        var w = new WriteBatch();
        SalesDays.Add(w, new DateOnly(2026, 11, 24), 1, 7, [new SalesDay { ProductId = 3, SoldQuantity = 2, SoldRevenue = 10, SoldCost = 4 }]);

        using var db = SqlServer();
        var sql = w.Sql(DatabaseProvider.SqlServer, db.Model);
        sql.ShouldContain("MERGE \"SalesDays\" WITH (HOLDLOCK) AS t USING (SELECT * FROM OPENJSON({0}) WITH (\"Day\" date '$.Day'");
        sql.ShouldContain("\"SoldRevenue\" float '$.SoldRevenue'");
        sql.ShouldContain("ON t.\"Day\" = s.\"Day\" AND t.\"OutletId\" = s.\"OutletId\" AND t.\"ProductId\" = s.\"ProductId\" AND t.\"TillId\" = s.\"TillId\"");
        sql.ShouldContain("WHEN MATCHED THEN UPDATE SET \"SoldQuantity\" = t.\"SoldQuantity\" + s.\"SoldQuantity\"");
        sql.ShouldContain("WHEN NOT MATCHED THEN INSERT");
        w.Sql(DatabaseProvider.Sqlite, db.Model).ShouldContain("ON CONFLICT (\"Day\", \"OutletId\", \"ProductId\", \"TillId\") DO UPDATE SET \"SoldQuantity\" = \"SoldQuantity\" + excluded.\"SoldQuantity\"");
        w.ExpectedRows.ShouldBe(1);
    }

    [Fact]
    public void The_daily_totals_are_rebuilt_with_the_till_day_in_T_SQL()
    {
        var sql = SalesDays.RebuildSql(DatabaseProvider.SqlServer);

        sql.ShouldContain("CAST(DATEADD(minute, s.\"OccurredOffsetMinutes\", s.\"OccurredAt\") AS date)");
        sql.ShouldContain("CAST(l.\"UnitPrice\" AS float)");
        sql.ShouldNotContain("date(s.");
    }

    [Fact]
    public void Every_stock_table_row_resolves_to_its_table_and_columns_in_both_providers_models()
    {
        using var sqlServer = SqlServer();
        using var sqlite = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.Sqlite, "Data Source=:memory:").Options);
        foreach (var model in new[] { sqlServer.Model, sqlite.Model })
            foreach (var table in StockTables.All)
            {
                var (name, columns) = table.Resolve(model);
                var entity = model.FindEntityType(table.Entity)!;
                name.ShouldBe($"\"{entity.GetTableName()}\"");
                var rowProperties = table.Row.GetProperties().Select(p => p.Name).ToList();
                columns.Split(", ").Length.ShouldBe(rowProperties.Count, table.Row.Name);
                // Every column of the table that is neither generated nor defaulted is written by the row: none is forgotten.
                var required = entity.GetProperties().Where(p => p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never
                    && !p.IsNullable && p.GetDefaultValueSql() is null).Select(p => p.Name);
                rowProperties.ShouldBeSubsetOf(entity.GetProperties().Select(p => p.Name), table.Row.Name);
                required.ShouldBeSubsetOf(rowProperties, $"{table.Row.Name} leaves out a required column of {entity.GetTableName()}");
            }
    }

    [Fact]
    public void A_row_property_the_model_does_not_have_is_refused_by_name()
    {
        using var db = SqlServer();
        var stray = new StockTable<StrayRow>(typeof(Batch));
        Should.Throw<InvalidOperationException>(() => stray.Resolve(db.Model)).Message.ShouldContain("'OnHandd'");
    }

    private sealed record StrayRow(Guid Id, int OnHandd);
}
