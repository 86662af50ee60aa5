using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BackOffice.Tests.Foundation;

/// <summary>Each provider's migrations build the whole schema from nothing, and match the model.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Sqlite_migrations_build_the_schema_on_an_empty_file()
    {
        using var file = TestDatabase.CreateEmptyFile();
        File.Exists(file.Path).ShouldBeFalse();

        await using var db = file.NewContext();
        await db.Database.MigrateAsync();

        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        db.Database.GetMigrations().ShouldNotBeEmpty();

        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        foreach (var table in ModelTables(db))
            tables.ShouldContain(table, $"table {table} after migrating");

        var filtered = await db.Database.SqlQueryRaw<string>(
            "SELECT sql AS Value FROM sqlite_master WHERE type = 'index' AND name LIKE 'UX_StockTakeLines%'").ToListAsync();
        filtered.Count.ShouldBe(2);
        filtered.ShouldContain(sql => sql.Contains("WHERE BatchId IS NULL"));
        filtered.ShouldContain(sql => sql.Contains("WHERE BatchId IS NOT NULL"));
    }

    [Fact]
    public async Task Sqlite_migrations_match_the_model()
    {
        using var file = await TestDatabase.CreateAsync();
        await using var db = file.NewContext();
        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed without a SQLite migration (dotnet ef migrations add)");
    }

    [Fact]
    public void Sql_server_migration_script_is_generated_without_a_server()
    {
        using var db = SqlServerContext();
        db.Database.GetMigrations().ShouldNotBeEmpty();

        var script = db.GetService<IMigrator>().GenerateScript();

        foreach (var table in ModelTables(db))
            script.ShouldContain($"CREATE TABLE [{table}]", Case.Sensitive, $"the script creates {table}");
        // The stock-take line uniqueness that holds with and without a batch: two filtered unique indexes.
        script.ShouldContain("CREATE UNIQUE INDEX [UX_StockTakeLines_Take_Product_Batch]");
        script.ShouldContain("CREATE UNIQUE INDEX [UX_StockTakeLines_Take_Product_NoBatch]");
        script.ShouldContain("WHERE BatchId IS NULL");
        script.ShouldContain("WHERE BatchId IS NOT NULL");
        script.ShouldContain("CREATE UNIQUE INDEX [IX_Products_Sku]");
        script.ShouldContain("CREATE UNIQUE INDEX [IX_Products_Barcode]");
        script.ShouldContain("WHERE Barcode IS NOT NULL");
        script.ShouldContain("CREATE UNIQUE INDEX [IX_Outlets_Code]");
        script.ShouldContain("CREATE UNIQUE INDEX [IX_Tills_TokenHash]");
        script.ShouldContain("CONSTRAINT [PK_Sales] PRIMARY KEY ([Id])");
        script.ShouldContain("CONSTRAINT [PK_Returns] PRIMARY KEY ([Id])");
        script.ShouldContain("[__EFMigrationsHistory]");
    }

    [Fact]
    public void Sql_server_migrations_match_the_model()
    {
        using var db = SqlServerContext();
        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed without a SQL Server migration");
    }

    [Fact]
    public void PostgreSql_migrations_match_the_model_and_script_quoted_filters_and_the_covering_index()
    {
        using var db = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.PostgreSql, "Host=none;Database=backoffice;Username=x").Options);
        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed without a PostgreSQL migration");
        var script = db.GetService<IMigrator>().GenerateScript();
        foreach (var table in ModelTables(db))
            script.ShouldContain($"CREATE TABLE \"{table}\"", Case.Sensitive, $"the script creates {table}");
        script.ShouldContain("WHERE \"BatchId\" IS NULL");
        script.ShouldContain("WHERE \"Barcode\" IS NOT NULL");
        script.ShouldContain("CHECK (\"OnHand\" >= 0)");
        script.ShouldContain("INCLUDE (\"OnHand\")");
    }

    [Fact]
    public void Sql_server_money_has_explicit_precision()
    {
        using var db = SqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript();
        script.ShouldContain("[Price] decimal(18,2)");
        script.ShouldContain("[UnitCost] decimal(18,4)");
    }

    private static BackOfficeDb SqlServerContext() =>
        new(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.SqlServer, "Server=none;Database=BackOffice;Integrated Security=false;User Id=x;Password=x;TrustServerCertificate=true")
            .Options);

    private static List<string> ModelTables(BackOfficeDb db) =>
        db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order().ToList();
}
