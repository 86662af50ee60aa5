using BackOffice.Core.Data;
using BackOffice.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.Tests.Foundation;

/// <summary>
/// Every unique key is held by the database itself (real SQLite or PostgreSQL): a second row is rejected on insert even when
/// it comes from another context that never saw the first, as it would from another request or server.
/// </summary>
public sealed class UniqueKeyTests : IAsyncLifetime
{
    private ShopDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = new ShopDatabase();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Product_sku_is_unique()
    {
        await SaveAsync(db => db.Products.Add(Make.Product(sku: "PARA-500-16")));
        await ShouldBeRejectedAsync(db => db.Products.Add(Make.Product(sku: "PARA-500-16")), "Products.Sku");
    }

    [Fact]
    public async Task Product_barcode_is_unique()
    {
        await SaveAsync(db => db.Products.Add(Make.Product(barcode: "5012345678900")));
        await ShouldBeRejectedAsync(db => db.Products.Add(Make.Product(barcode: "5012345678900")), "Products.Barcode");
    }

    [Fact]
    public async Task Products_without_barcode_do_not_collide()
    {
        await SaveAsync(db => db.Products.AddRange(
            WithoutBarcode(Make.Product()), WithoutBarcode(Make.Product())));
        await using var check = _db.Open();
        (await check.Products.CountAsync(p => p.Barcode == null)).ShouldBe(2);

        static Core.Catalog.Product WithoutBarcode(Core.Catalog.Product p)
        {
            p.Barcode = null;
            p.Barcodes.Clear();
            return p;
        }
    }

    [Fact]
    public async Task Sale_id_is_recorded_once()
    {
        var outletId = await AddOutletAsync();
        var saleId = Guid.NewGuid();
        await SaveAsync(db => db.Sales.Add(Make.Sale(outletId, saleId)));
        await ShouldBeRejectedAsync(db => db.Sales.Add(Make.Sale(outletId, saleId)), "Sales.Id");
    }

    [Fact]
    public async Task Return_id_is_recorded_once()
    {
        var outletId = await AddOutletAsync();
        var sale = Make.Sale(outletId);
        await SaveAsync(db => db.Sales.Add(sale));
        var returnId = Guid.NewGuid();
        await SaveAsync(db => db.Returns.Add(Make.Return(sale, returnId)));
        await ShouldBeRejectedAsync(db => db.Returns.Add(Make.Return(sale, returnId)), "Returns.Id");
    }

    [Fact]
    public async Task Outlet_code_is_unique()
    {
        await SaveAsync(db => db.Outlets.Add(Make.Outlet("LDN-01")));
        await ShouldBeRejectedAsync(db => db.Outlets.Add(Make.Outlet("LDN-01")), "Outlets.Code");
    }

    [Fact]
    public async Task Till_token_hash_is_unique()
    {
        var outletId = await AddOutletAsync();
        var hash = Core.Tills.Secrets.Hash("till_same_token");
        await SaveAsync(db => db.Tills.Add(Make.Till(outletId, hash)));
        await ShouldBeRejectedAsync(db => db.Tills.Add(Make.Till(outletId, hash)), "Tills.TokenHash");
    }

    [Fact]
    public async Task Stock_take_line_is_unique_per_product_and_batch()
    {
        var (takeId, productId, batchId, _) = await AddStockTakeAsync();
        await SaveAsync(db => db.StockTakeLines.Add(Make.Line(takeId, productId, batchId)));
        await ShouldBeRejectedAsync(db => db.StockTakeLines.Add(Make.Line(takeId, productId, batchId)), "StockTakeLines.BatchId");
    }

    [Fact]
    public async Task Stock_take_line_without_batch_is_unique_per_product()
    {
        // A plain unique index treats NULLs as distinct: this is what the filtered index is for.
        var (takeId, productId, _, _) = await AddStockTakeAsync();
        await SaveAsync(db => db.StockTakeLines.Add(Make.Line(takeId, productId, batchId: null)));
        await ShouldBeRejectedAsync(db => db.StockTakeLines.Add(Make.Line(takeId, productId, batchId: null)), "StockTakeLines.ProductId");
    }

    [Fact]
    public async Task Two_lines_without_batch_in_one_save_are_rejected_too()
    {
        var (takeId, productId, _, _) = await AddStockTakeAsync();
        await ShouldBeRejectedAsync(db => db.StockTakeLines.AddRange(
            Make.Line(takeId, productId, batchId: null), Make.Line(takeId, productId, batchId: null)), "StockTakeLines.ProductId");
    }

    [Fact]
    public async Task Lines_without_batch_for_different_products_are_fine()
    {
        var (takeId, productId, _, otherProductId) = await AddStockTakeAsync();
        await SaveAsync(db => db.StockTakeLines.Add(Make.Line(takeId, productId, batchId: null)));
        await SaveAsync(db => db.StockTakeLines.Add(Make.Line(takeId, otherProductId, batchId: null)));

        await using var check = _db.Open();
        (await check.StockTakeLines.CountAsync(l => l.StockTakeId == takeId && l.BatchId == null)).ShouldBe(2);
    }

    [Fact]
    public async Task A_line_per_lot_and_a_line_without_lot_of_the_same_product_are_fine()
    {
        var (takeId, productId, batchId, _) = await AddStockTakeAsync();
        await SaveAsync(db => db.StockTakeLines.AddRange(
            Make.Line(takeId, productId, batchId), Make.Line(takeId, productId, batchId: null)));

        await using var check = _db.Open();
        (await check.StockTakeLines.CountAsync(l => l.StockTakeId == takeId)).ShouldBe(2);
    }

    [Fact]
    public async Task The_same_product_and_batch_in_another_stock_take_is_fine()
    {
        var (takeId, productId, batchId, _) = await AddStockTakeAsync();
        int otherTakeId;
        await using (var db = _db.Open())
        {
            var outletId = await db.StockTakes.Where(t => t.Id == takeId).Select(t => t.OutletId).SingleAsync();
            var other = Make.StockTake(outletId);
            db.StockTakes.Add(other);
            await db.SaveChangesAsync();
            otherTakeId = other.Id;
        }
        await SaveAsync(db => db.StockTakeLines.AddRange(
            Make.Line(takeId, productId, batchId), Make.Line(takeId, productId, null),
            Make.Line(otherTakeId, productId, batchId), Make.Line(otherTakeId, productId, null)));
    }

    private async Task SaveAsync(Action<BackOfficeDb> add)
    {
        await using var db = _db.Open();
        add(db);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The insert fails in the database with its unique-constraint error: SQLite's names <paramref name="column"/>
    /// ("Table.Column"); SQL Server's names the table; PostgreSQL's names the table and the key: its primary key for Id, else the unique index on that column.
    /// </summary>
    private async Task ShouldBeRejectedAsync(Action<BackOfficeDb> add, string column)
    {
        await using var db = _db.Open();
        add(db);
        var error = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        if (ShopDatabase.Provider == DatabaseProvider.PostgreSql)
        {
            var postgres = error.InnerException.ShouldBeOfType<PostgresException>();
            postgres.SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
            var (table, key) = (column.Split('.')[0], column.Split('.')[1]);
            postgres.TableName.ShouldBe(table);
            postgres.ConstraintName.ShouldNotBeNull();
            if (key == "Id") postgres.ConstraintName.ShouldBe($"PK_{table}");
            else postgres.ConstraintName.ShouldMatch($"^(IX|UX)_{table}_"); // a unique index of that table
            return;
        }
        if (ShopDatabase.Provider == DatabaseProvider.SqlServer)
        {
            var sqlServer = error.InnerException.ShouldBeOfType<Microsoft.Data.SqlClient.SqlException>();
            sqlServer.Number.ShouldBeOneOf(2601, 2627); // duplicate key in a unique index, or in a primary key / unique constraint
            sqlServer.Message.ShouldContain(column.Split('.')[0]);
            return;
        }
        var sqlite = error.InnerException.ShouldBeOfType<SqliteException>();
        sqlite.SqliteErrorCode.ShouldBe(19); // SQLITE_CONSTRAINT
        sqlite.Message.ShouldContain("UNIQUE constraint failed");
        sqlite.Message.ShouldContain(column);
    }

    private async Task<int> AddOutletAsync()
    {
        await using var db = _db.Open();
        var outlet = Make.Outlet();
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        return outlet.Id;
    }

    private async Task<(int TakeId, int ProductId, Guid BatchId, int OtherProductId)> AddStockTakeAsync()
    {
        await using var db = _db.Open();
        var outlet = Make.Outlet();
        var product = Make.Product();
        var other = Make.Product();
        var batch = Make.Batch(outlet, product);
        db.AddRange(outlet, product, other, batch);
        await db.SaveChangesAsync();
        var take = Make.StockTake(outlet.Id);
        db.StockTakes.Add(take);
        await db.SaveChangesAsync();
        return (take.Id, product.Id, batch.Id, other.Id);
    }
}
