using System.Collections.Immutable;
using BackOffice.Core.Inventory;

namespace BackOffice.Web.Inventory;

/// <summary>
/// Committed stock changes for the Blazor Server circuits of this process (the product detail page), told by
/// <see cref="Tills.HubStockChangeNotifier"/> next to its SignalR push. With several web servers the
/// <see cref="StockChangeRelay"/> passes each server's changes to the others' feeds through Redis.
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

    /// <summary>Where this server's changes go for the other servers (set by <see cref="StockChangeRelay"/> when scaled out).</summary>
    public Action<IReadOnlyList<StockLevel>>? ToOtherServers { get; set; }

    /// <summary>A change committed on this server: its pages, then the other servers.</summary>
    public void Publish(IReadOnlyList<StockLevel> levels)
    {
        if (levels.Count == 0) return;
        TellPages(levels);
        try
        {
            ToOtherServers?.Invoke(levels);
        }
        catch (Exception e)
        {
            // Redis being away must not fail a committed sale; other servers' pages catch up on reload.
            log.LogWarning(e, "A stock change could not be passed to the other servers");
        }
    }

    /// <summary>A change committed on another server: this server's pages only.</summary>
    public void PublishFromAnotherServer(IReadOnlyList<StockLevel> levels)
    {
        if (levels.Count > 0) TellPages(levels);
    }

    private void TellPages(IReadOnlyList<StockLevel> levels)
    {
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
