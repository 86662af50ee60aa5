using System.Collections.Concurrent;
using BackOffice.Core.Inventory;
using BackOffice.Web.Inventory;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Tests.ScaleOut;

/// <summary>Two servers' page feeds joined through a real redis-server: each hears the other's commits once, and its own once.</summary>
public sealed class StockChangeRelayTests : IAsyncLifetime
{
    private RedisProcess _redis = null!;
    private readonly StockChangeFeed _one = new(NullLogger<StockChangeFeed>.Instance), _two = new(NullLogger<StockChangeFeed>.Instance);
    private StockChangeRelay _relayOne = null!, _relayTwo = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _relayOne = new StockChangeRelay(_one, _redis.Configuration, NullLogger<StockChangeRelay>.Instance);
        _relayTwo = new StockChangeRelay(_two, _redis.Configuration, NullLogger<StockChangeRelay>.Instance);
        await _relayOne.StartAsync(default);
        await _relayTwo.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        foreach (var relay in new[] { _relayOne, _relayTwo })
        {
            await relay.StopAsync(default);
            await relay.DisposeAsync();
        }
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_change_committed_on_one_server_reaches_the_pages_of_both_once()
    {
        var onOne = new ConcurrentQueue<StockLevel>();
        var onTwo = new ConcurrentQueue<StockLevel>();
        using var pageOne = _one.Subscribe(levels => { foreach (var l in levels) onOne.Enqueue(l); });
        using var pageTwo = _two.Subscribe(levels => { foreach (var l in levels) onTwo.Enqueue(l); });

        _one.Publish([new StockLevel(1, "LDN-01", 7, "AMOX-500", 41)]);
        _two.Publish([new StockLevel(2, "PAR-01", 9, "IBU-200", 3)]);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((onOne.Count < 2 || onTwo.Count < 2) && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(300); // time for a duplicate to arrive, if one were coming
        onOne.ShouldBe([new StockLevel(1, "LDN-01", 7, "AMOX-500", 41), new StockLevel(2, "PAR-01", 9, "IBU-200", 3)], ignoreOrder: true);
        onTwo.ShouldBe([new StockLevel(1, "LDN-01", 7, "AMOX-500", 41), new StockLevel(2, "PAR-01", 9, "IBU-200", 3)], ignoreOrder: true);
    }

    [Fact]
    public async Task Without_Redis_a_commit_still_reaches_its_own_servers_pages()
    {
        await _redis.DisposeAsync();
        var heard = new ConcurrentQueue<StockLevel>();
        using var page = _one.Subscribe(levels => { foreach (var l in levels) heard.Enqueue(l); });

        _one.Publish([new StockLevel(1, "LDN-01", 7, "AMOX-500", 40)]);

        heard.ShouldHaveSingleItem().Available.ShouldBe(40);
    }
}
