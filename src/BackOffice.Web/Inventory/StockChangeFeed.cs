using System.Collections.Immutable;
using BackOffice.Core.Inventory;

namespace BackOffice.Web.Inventory;

/// <summary>
/// Committed stock changes for the Blazor Server circuits of this process (the product detail page), told by
/// <see cref="Tills.HubStockChangeNotifier"/> next to its SignalR push. In process only: with several web servers a
/// page hears the commits made on its own server; tills hear all of them through the hub's Redis backplane.
/// </summary>
public sealed class StockChangeFeed(ILogger<StockChangeFeed> log)
{
    // Copy-on-write: publishing (on the engine's thread) reads a snapshot while circuits come and go.
    private ImmutableArray<Action<IReadOnlyList<StockLevel>>> _subscribers = [];

    public int Subscribers => _subscribers.Length;

    /// <summary>Calls <paramref name="onChange"/> after every commit until the returned handle is disposed. It must return quickly (hand off, e.g. start a timer).</summary>
    public IDisposable Subscribe(Action<IReadOnlyList<StockLevel>> onChange)
    {
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(onChange));
        return new Subscription(this, onChange);
    }

    public void Publish(IReadOnlyList<StockLevel> levels)
    {
        if (levels.Count == 0) return;
        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber(levels);
            }
            catch (Exception e)
            {
                // One broken circuit must not keep the others (or the seller) from hearing of the change.
                log.LogWarning(e, "A stock change subscriber failed");
            }
        }
    }

    private sealed class Subscription(StockChangeFeed feed, Action<IReadOnlyList<StockLevel>> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                ImmutableInterlocked.Update(ref feed._subscribers, s => s.Remove(onChange));
        }
    }
}
