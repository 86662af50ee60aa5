using System.Text.Json;
using BackOffice.Core.Inventory;
using StackExchange.Redis;

namespace BackOffice.Web.Inventory;

/// <summary>
/// With several web servers (Redis configured), carries each server's committed stock changes to the others'
/// <see cref="StockChangeFeed"/>, so that a product page open on one server hears a sale recorded on another (tills
/// already hear it through the SignalR backplane). Each message names the server that sent it; a server ignores its own.
/// A message lost while Redis is away only delays a page until its next reload: the database stays the truth.
/// </summary>
public sealed class StockChangeRelay(StockChangeFeed feed, string redisConfiguration, ILogger<StockChangeRelay> log) : IHostedService, IAsyncDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("BackOffice:stock-changes");
    private readonly string _server = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;

    private sealed record Message(string Server, IReadOnlyList<StockLevel> Levels);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(redisConfiguration);
        // Start even when Redis is not up yet: the multiplexer keeps reconnecting, and the subscription comes back with it.
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        await _redis.GetSubscriber().SubscribeAsync(Channel, (_, value) => Receive(value));
        feed.ToOtherServers = Send;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        feed.ToOtherServers = null;
        if (_redis is not null) await _redis.GetSubscriber().UnsubscribeAsync(Channel);
    }

    private void Send(IReadOnlyList<StockLevel> levels)
    {
        if (_redis is null) return;
        // Fire and forget: the sale is committed; the seller must not wait on other servers' pages.
        _redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new Message(_server, levels)), CommandFlags.FireAndForget);
    }

    private void Receive(RedisValue value)
    {
        try
        {
            var message = JsonSerializer.Deserialize<Message>(value.ToString());
            if (message is null || message.Server == _server) return;
            feed.PublishFromAnotherServer(message.Levels);
        }
        catch (JsonException e)
        {
            log.LogWarning(e, "A stock change from another server could not be read");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
