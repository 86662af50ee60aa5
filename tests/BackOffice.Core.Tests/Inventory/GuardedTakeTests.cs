using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// The one statement that takes units out of many batches: every batch must still be at the version read and hold the
/// units, or the whole write fails and changes nothing (the caller retries from a fresh read).
/// </summary>
public sealed class GuardedTakeTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly Shop _shop;

    public GuardedTakeTests() => _shop = new Shop(_database, new FixedClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)));

    public void Dispose() => _database.Dispose();

    private async Task<(Batch A, Batch B)> TwoBatchesAsync()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("AMOX-500");
        return (await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(30)), await _shop.BatchAsync(outlet, product, 5, _shop.Today.AddDays(60)));
    }

    private async Task<int[]> OnHandAsync(params Batch[] batches)
    {
        await using var db = _database.Open();
        var ids = batches.Select(b => b.Id).ToList();
        var onHand = await db.Batches.Where(b => ids.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.OnHand);
        return batches.Select(b => onHand[b.Id]).ToArray();
    }

    private async Task TakeAsync(params (Batch Batch, int Quantity, int Version)[] takes)
    {
        await using var db = _database.Open();
        await using var tx = await db.BeginStockWriteAsync(default);
        var w = new WriteBatch();
        Movements.TakeFromBatches(w, takes.Select(t => new Movements.Take(t.Batch.Id, t.Quantity, t.Version)).ToList());
        await w.ExecuteAsync(db, default);
        await tx.CommitAsync();
    }

    [Fact]
    public async Task Takes_from_every_batch_in_one_statement_when_all_guards_hold()
    {
        var (a, b) = await TwoBatchesAsync();

        await TakeAsync((a, 5, a.Version), (b, 2, b.Version));

        (await OnHandAsync(a, b)).ShouldBe([0, 3]);
    }

    [Fact]
    public async Task A_batch_changed_since_it_was_read_fails_the_whole_take()
    {
        var (a, b) = await TwoBatchesAsync();

        await Should.ThrowAsync<StockConflictException>(() => TakeAsync((a, 1, a.Version), (b, 1, b.Version + 1)));

        (await OnHandAsync(a, b)).ShouldBe([5, 5]);
    }

    [Fact]
    public async Task A_batch_without_the_units_fails_the_whole_take()
    {
        var (a, b) = await TwoBatchesAsync();

        await Should.ThrowAsync<StockConflictException>(() => TakeAsync((a, 1, a.Version), (b, 6, b.Version)));

        (await OnHandAsync(a, b)).ShouldBe([5, 5]);
    }

    [Fact]
    public void On_SQL_Server_and_PostgreSQL_the_rows_are_one_JSON_parameter_read_as_a_table_with_named_typed_columns()
    {
        var w = new WriteBatch();
        Movements.TakeFromBatches(w, [new(Guid.NewGuid(), 2, 7), new(Guid.NewGuid(), 1, 0)]);
        using var db = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.SqlServer, "Server=none;Database=BackOffice;Trusted_Connection=True;TrustServerCertificate=True").Options);

        var sqlServer = w.Sql(DatabaseProvider.SqlServer, db.Model);
        sqlServer.ShouldContain("WITH v AS (SELECT * FROM OPENJSON({0}) WITH (\"TakeBatchId\" uniqueidentifier '$.TakeBatchId', \"TakeQuantity\" int '$.TakeQuantity', \"TakeVersion\" int '$.TakeVersion') AS r)");
        sqlServer.ShouldContain("UPDATE \"Batches\" SET \"OnHand\" = \"Batches\".\"OnHand\" - v.\"TakeQuantity\"");
        sqlServer.ShouldContain("\"Batches\".\"Version\" = v.\"TakeVersion\" AND \"Batches\".\"OnHand\" >= v.\"TakeQuantity\"");
        var (json, parameters) = w.Command(DatabaseProvider.SqlServer, db.Model);
        parameters.Count.ShouldBe(1);
        parameters[0].ShouldBeOfType<string>().ShouldContain("\"TakeQuantity\":2,\"TakeVersion\":7");
        json.ShouldNotContain("{1}");

        using var postgres = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.PostgreSql, "Host=none;Database=backoffice;Username=x").Options);
        w.Sql(DatabaseProvider.PostgreSql, postgres.Model).ShouldContain(
            "WITH v AS (SELECT * FROM jsonb_to_recordset({0}::jsonb) AS r(\"TakeBatchId\" uuid, \"TakeQuantity\" integer, \"TakeVersion\" integer))");
        w.Sql(DatabaseProvider.Sqlite, db.Model).ShouldContain("WITH v(\"TakeBatchId\", \"TakeQuantity\", \"TakeVersion\") AS (VALUES");
        w.ExpectedRows.ShouldBe(2);
    }
}
