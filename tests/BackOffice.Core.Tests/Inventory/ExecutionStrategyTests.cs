using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>
/// SQL Server runs with EnableRetryOnFailure, whose execution strategy refuses commands in a transaction begun
/// outside it. The same kind of strategy on SQLite shows that the stock writes run inside the strategy.
/// </summary>
public sealed class ExecutionStrategyTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    private BackOfficeDb OpenRetrying() => new(new DbContextOptionsBuilder<BackOfficeDb>()
        .UseSqlite(_database.ConnectionString, o => o.MigrationsAssembly(BackOfficeDatabase.SqliteMigrationsAssembly)
            .ExecutionStrategy(d => new RetryingStrategy(d)))
        .AddInterceptors(SqliteConnectionSetup.Instance).Options);

    [Fact]
    public async Task Every_test_database_refuses_a_transaction_begun_outside_its_execution_strategy()
    {
        // As SQL Server's and PostgreSQL's EnableRetryOnFailure do: the engine's writes passing on this run prove they run inside it.
        await using var db = _database.Open();
        await using (await db.Database.BeginTransactionAsync())
            await Should.ThrowAsync<InvalidOperationException>(() => db.Outlets.CountAsync());
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            (await db.Outlets.CountAsync()).ShouldBe(0);
        });
    }

    [SqliteFact]
    public async Task Expiry_marking_and_alerts_run_under_a_retrying_strategy()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var para = await shop.ProductAsync("PARA", reorderLevel: 50);
        await shop.BatchAsync(outlet, para, 4, shop.Today.AddDays(-1));
        await shop.BatchAsync(outlet, para, 6, shop.Today.AddDays(3));

        await using var db = OpenRetrying();
        // The seam is real: a transaction begun outside the strategy is refused, as on SQL Server.
        await using (await db.Database.BeginTransactionAsync())
            await Should.ThrowAsync<InvalidOperationException>(() => db.Outlets.CountAsync());

        (await new ExpiryMarking(db, _clock, new RecordingNotifier(), NullLogger<ExpiryMarking>.Instance).MarkExpiredAsync())
            .ShouldBe(new ExpiryRun(1, 4, 1));
        var alerts = new StockAlerts(db, _clock, new StockAlertOptions(), NullLogger<StockAlerts>.Instance);
        (await alerts.CheckLowStockAsync()).Added.ShouldBe(1);
        (await alerts.CheckNearExpiryAsync()).Added.ShouldBe(1);
        await Invariants.AssertLedgerAsync(db);
    }

    private sealed class RetryingStrategy(ExecutionStrategyDependencies dependencies)
        : ExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(10))
    {
        protected override bool ShouldRetryOn(Exception exception) => false;
    }
}
