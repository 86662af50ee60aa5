using BackOffice.Core.Data;

namespace BackOffice.Core.Tests.Inventory;

/// <summary>The in-process write gate of SQLite stock writes: one writer at a time, the next let in when the first ends however it ends.</summary>
public sealed class StockWriteGateTests : IDisposable
{
    private readonly ShopDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [SqliteTheory]
    [InlineData("commit")]
    [InlineData("rollback")]
    [InlineData("dispose")]
    public async Task A_second_writer_waits_for_the_first_and_goes_in_when_it_ends(string ending)
    {
        await using var first = _database.Open();
        await using var second = _database.Open();
        var tx = await first.BeginStockWriteAsync(CancellationToken.None);

        var waiting = second.BeginStockWriteAsync(CancellationToken.None);
        await Task.Delay(200);
        waiting.IsCompleted.ShouldBeFalse("the second writer queues while the first holds the write");

        switch (ending)
        {
            case "commit": await tx.CommitAsync(); break;
            case "rollback": await tx.RollbackAsync(); break;
        }
        await tx.DisposeAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        await next.CommitAsync();

        // Released once only: a third writer gets in after the second, and a fourth still has to wait for the third.
        await using var third = await first.BeginStockWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var fourth = second.BeginStockWriteAsync(CancellationToken.None);
        await Task.Delay(100);
        fourth.IsCompleted.ShouldBeFalse();
        await third.DisposeAsync();
        await (await fourth.WaitAsync(TimeSpan.FromSeconds(5))).DisposeAsync();
    }

    [SqliteFact]
    public async Task A_cancelled_wait_takes_nothing()
    {
        await using var first = _database.Open();
        await using var second = _database.Open();
        var tx = await first.BeginStockWriteAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(100);
        await Should.ThrowAsync<OperationCanceledException>(() => second.BeginStockWriteAsync(cancel.Token));
        await tx.DisposeAsync();
        await (await second.BeginStockWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).DisposeAsync();
    }
}
