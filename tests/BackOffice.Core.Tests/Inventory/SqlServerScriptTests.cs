using System.Text.RegularExpressions;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// SQL Server without a server: the real stock writes run on this run's database while their batches are rendered for
/// SQL Server too, and the one command each would send there parses with Microsoft's T-SQL parser, with a parameter count
/// and a text that do not grow with the rows (1, 100 and 5,000 rows). The migration script and the hot queries parse as well.
/// </summary>
public sealed partial class SqlServerScriptTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly Shop _shop;

    public SqlServerScriptTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private static BackOfficeDb SqlServer() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseBackOfficeDatabase(DatabaseProvider.SqlServer, "Server=none;Database=BackOffice;Trusted_Connection=True;TrustServerCertificate=True").Options);

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    private static void ShouldParse(string sql, string what)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        errors.ShouldBeEmpty($"{what}: " + string.Join("; ", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")));
    }

    /// <summary>
    /// Runs <paramref name="operation"/>, checks what every write batch it sent would send to SQL Server, and returns those
    /// commands (text and parameter count), in order.
    /// </summary>
    private static async Task<List<(string Sql, int Parameters)>> AsSqlServerAsync(string what, Func<Task> operation)
    {
        var batches = new List<WriteBatch>();
        WriteBatch.Observer.Value = batches.Add;
        try
        {
            await operation();
        }
        finally
        {
            WriteBatch.Observer.Value = null;
        }
        batches.ShouldNotBeEmpty($"{what} wrote nothing");
        using var sqlServer = SqlServer();
        var commands = new List<(string, int)>();
        foreach (var batch in batches)
        {
            var (sql, parameters) = batch.Command(DatabaseProvider.SqlServer, sqlServer.Model);
            parameters.Count.ShouldBeLessThanOrEqualTo(20, $"{what}: a few scalars and one JSON parameter per set of rows");
            ShouldParse(Placeholder().Replace(sql, m => "@p" + m.Groups[1].Value), what);
            commands.Add((sql, parameters.Count));
        }
        return commands;
    }

    [Fact]
    public async Task A_sale_sends_the_same_command_text_and_parameter_count_over_1_and_100_batches()
    {
        var outlet = await _shop.OutletAsync();
        var few = await _shop.ProductAsync("FEW");
        var many = await _shop.ProductAsync("MANY");
        await _shop.BatchAsync(outlet, few, 5, _shop.Today.AddDays(30));
        for (var i = 0; i < 100; i++) await _shop.BatchAsync(outlet, many, 1, _shop.Today.AddDays(30 + i));
        async Task<(string Sql, int Parameters)> SellAsync(string sku, int quantity) => (await AsSqlServerAsync($"{quantity} of {sku}", async () =>
        {
            await using var db = _database.Open();
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale((sku, quantity)), new Counter(outlet.Id));
        })).Single();

        var one = await SellAsync("FEW", 1);
        var hundred = await SellAsync("MANY", 100);

        hundred.Sql.ShouldBe(one.Sql, "the rows travel in the JSON parameters, not in the text");
        hundred.Parameters.ShouldBe(one.Parameters);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task A_sale_over_many_batches_and_its_return_parse_as_T_SQL(int batches)
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA");
        for (var i = 0; i < batches; i++) await _shop.BatchAsync(outlet, product, 1, _shop.Today.AddDays(30 + i));
        SaleOutcome sale = null!;
        (await AsSqlServerAsync($"a sale over {batches} batches", async () =>
        {
            await using var db = _database.Open();
            sale = await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(("PARA", batches)), new Counter(outlet.Id));
        })).Count.ShouldBe(1, "one command, on SQL Server too");
        sale.Sale.Lines[0].Allocated.ShouldBe(batches);

        await AsSqlServerAsync("a return", async () =>
        {
            await using var db = _database.Open();
            await new ReturnRecorder(db, _clock, new RecordingNotifier()).RecordReturnAsync(
                new ReturnRequest(Guid.NewGuid(), sale.Sale.SaleId, _clock.Now.AddMinutes(-1), [new ReturnLineRequest("PARA", batches)]), new Counter(outlet.Id));
        });
    }

    [Fact]
    public async Task A_receipt_of_5000_lines_and_a_stock_take_of_3000_lines_are_written_on_this_provider_and_fit_SQL_Server()
    {
        var outlet = await _shop.OutletAsync();
        await using (var db = _database.Open())
            await BulkStock.ProductsAsync(db, "REC", 50);
        var lines = Enumerable.Range(0, 5000).Select(i => new ReceiveLine($"REC-{i % 50}", $"LOT-{i}", _shop.Today.AddDays(100 + i % 300), 1 + i % 5, 1.25m)).ToList();
        var commands = await AsSqlServerAsync("a 5,000-line receipt", async () =>
        {
            await using var db = _database.Open();
            (await new InventoryService(db, _clock, new RecordingNotifier()).ReceiveAsync(new ReceiveGoods(outlet.Code, "opening stock", lines), "manager"))
                .Batches.Count.ShouldBe(5000);
        });
        commands.ShouldHaveSingleItem("5,000 batches with their own ids in one command: their rows are JSON");

        int takeId;
        await using (var db = _database.Open())
        {
            var takes = new StockTakeService(db, _clock, new RecordingNotifier());
            takeId = await takes.OpenStockTakeAsync(new OpenStockTake(outlet.Id, null, Blind: false), "manager");
            // 3,000 lots counted one short.
            await db.StockTakeLines.Where(l => l.StockTakeId == takeId).OrderBy(l => l.Id).Take(3000)
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.Counted, l => l.Expected - 1));
        }
        await AsSqlServerAsync("a 3,000-line stock take", async () =>
        {
            await using var db = _database.Open();
            (await new StockTakeService(db, _clock, new RecordingNotifier()).PostStockTakeAsync(takeId, "manager")).Count.ShouldBe(3000);
        });
        await using var check = _database.Open();
        (await check.Movements.CountAsync(m => m.Kind == MovementKind.StockTake)).ShouldBe(3000);
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public async Task A_disposal_and_the_expiry_jobs_notifications_are_written_on_this_provider_and_fit_SQL_Server()
    {
        var outlet = await _shop.OutletAsync();
        var product = await _shop.ProductAsync("PARA");
        var expired = await _shop.BatchAsync(outlet, product, 6, _shop.Today.AddDays(-1));
        var empty = await _shop.BatchAsync(outlet, product, 0, _shop.Today.AddDays(-2));
        Task MarkAsync() => Task.Run(async () =>
        {
            await using var db = _database.Open();
            await new ExpiryMarking(db, _clock, new RecordingNotifier(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync();
        });
        (await AsSqlServerAsync("the expiry job's new notification", MarkAsync)).ShouldHaveSingleItem();
        await using (var db = _database.Open())
            await new InventoryService(db, _clock, new RecordingNotifier()).AdjustAsync(empty.Id, 2, AdjustmentReason.Found, null, "manager");
        (await AsSqlServerAsync("the expiry job's updated notification", MarkAsync)).ShouldHaveSingleItem();

        (await AsSqlServerAsync("a disposal", async () =>
        {
            await using var db = _database.Open();
            await new DisposalService(db, _clock, new RecordingNotifier()).DisposeAsync(
                new DisposeGoods(outlet.Code, [new DisposeLine(expired.Id, 4), new DisposeLine(empty.Id)], DisposalOutcome.Destroyed, "DC-1"), "manager");
        })).ShouldHaveSingleItem("the takes, the movements and the document in one command");
        await using var check = _database.Open();
        (await check.Notifications.SingleAsync()).Count.ShouldBe(2);
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(2);
        await Invariants.AssertLedgerAsync(check);
    }

    [Fact]
    public void The_migration_script_and_the_hot_queries_parse_as_T_SQL()
    {
        using var db = SqlServer();
        ShouldParse(db.GetService<IMigrator>().GenerateScript(), "the migration script");
        var today = new DateOnly(2026, 11, 24);
        ShouldParse(db.StockAt(1, today).ToQueryString(), "available quantity");
        ShouldParse(db.BatchesForUpdate().Where(b => b.OutletId == 1 && b.OnHand > 0).Where(ExpiryRule.IsSellableOn(today)).ToQueryString(), "the FEFO candidates");
        ShouldParse(db.SalesDays.GroupBy(d => d.Day).Select(g => new { g.Key, Sold = g.Sum(d => d.SoldQuantity) }).ToQueryString(), "the sales report");
        ShouldParse(SalesDays.RebuildSql(DatabaseProvider.SqlServer), "the daily totals' rebuild");
    }

    [Fact]
    public void The_compiled_FEFO_read_takes_update_locks_and_the_expiry_rule_on_SQL_Server()
    {
        using var db = SqlServer();
        // The expression EF compiles, run as a plain query on a SQL Server context to see its SQL.
        var query = Candidates.SellableBatchesQuery(DatabaseProvider.SqlServer).Compile()(db, 1, [1, 2], new DateOnly(2026, 11, 24), []);
        var sql = query.ToQueryString();
        sql.ShouldContain("WITH (UPDLOCK, ROWLOCK)");
        sql.ShouldContain("[b].[ExpiryDate] IS NULL OR [b].[ExpiryDate] >=");
        ShouldParse(sql, "the compiled FEFO read");
    }

    [Fact]
    public void The_compiled_FEFO_read_is_tagged_for_PostgreSQLs_row_lock()
    {
        using var db = new BackOfficeDb(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.PostgreSql, "Host=none;Database=backoffice;Username=x").Options);
        var sql = Candidates.SellableBatchesQuery(DatabaseProvider.PostgreSql).Compile()(db, 1, [1], new DateOnly(2026, 11, 24), []).ToQueryString();
        sql.ShouldContain("-- " + PostgresRowLocks.Tag);
        sql.ShouldContain("b.\"ExpiryDate\" IS NULL OR b.\"ExpiryDate\" >=");
    }
}
