using BackOffice.Core.Inventory;
using BackOffice.Web.Inventory;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Tests.Inventory;

public sealed class StockChangeFeedTests
{
    private static readonly StockLevel Level = new(1, "LDN-01", 7, "IBU-200", 12);

    [Fact]
    public void Subscribers_hear_each_publication_until_they_unsubscribe()
    {
        var feed = new StockChangeFeed(NullLogger<StockChangeFeed>.Instance);
        var first = new List<IReadOnlyList<StockLevel>>();
        var second = new List<IReadOnlyList<StockLevel>>();
        var a = feed.Subscribe(first.Add);
        using var b = feed.Subscribe(second.Add);
        feed.Subscribers.ShouldBe(2);

        feed.Publish([Level]);
        a.Dispose();
        a.Dispose(); // twice is harmless and removes nobody else
        feed.Publish([Level with { Available = 11 }]);
        feed.Publish([]);

        first.ShouldHaveSingleItem().ShouldHaveSingleItem().Available.ShouldBe(12);
        second.Select(l => l.Single().Available).ShouldBe([12, 11]);
        feed.Subscribers.ShouldBe(1);
    }

    [Fact]
    public void A_failing_subscriber_does_not_keep_the_others_from_hearing()
    {
        var feed = new StockChangeFeed(NullLogger<StockChangeFeed>.Instance);
        var heard = 0;
        using var broken = feed.Subscribe(_ => throw new InvalidOperationException("circuit gone"));
        using var ok = feed.Subscribe(_ => heard++);

        Should.NotThrow(() => feed.Publish([Level]));
        heard.ShouldBe(1);
    }

    [Fact]
    public async Task Subscribing_and_publishing_from_many_threads_loses_no_subscriber()
    {
        var feed = new StockChangeFeed(NullLogger<StockChangeFeed>.Instance);
        var heard = 0;
        using var steady = feed.Subscribe(_ => Interlocked.Increment(ref heard));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                using var s = feed.Subscribe(_ => { });
                feed.Publish([Level]);
            }
        })));
        feed.Subscribers.ShouldBe(1);
        heard.ShouldBe(4000);
    }
}
