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
/// SQL Server too, and every command they would send there parses with Microsoft's T-SQL parser and stays within SQL
/// Server's 2,100 parameters, at 1, 100 and 5,000 rows. The migration script and the hot queries parse as well.
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

    /// <summary>Runs <paramref name="operation"/> and checks what every write batch it sent would send to SQL Server.</summary>
    private static async Task<int> AsSqlServerAsync(string what, Func<Task> operation)
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
        var commands = 0;
        foreach (var batch in batches)
            foreach (var (sql, parameters) in batch.Commands(DatabaseProvider.SqlServer, sqlServer.Model))
            {
                commands++;
                parameters.Count.ShouldBeLessThanOrEqualTo(2100, $"{what}: SQL Server takes at most 2,100 parameters a command");
                ShouldParse(Placeholder().Replace(sql, m => "@p" + m.Groups[1].Value), what);
            }
        return commands;
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
        })).ShouldBe(1, "one command, on SQL Server too");
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
        commands.ShouldBeGreaterThan(1, "5,000 batches with their own ids are more than one SQL Server command can carry");

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
}
