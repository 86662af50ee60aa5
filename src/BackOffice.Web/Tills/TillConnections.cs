using System.Collections.Concurrent;
using BackOffice.Core.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Tills;

/// <summary>
/// The tills' hub connections open on this server, with the token each connected with, so that a revoked till (or the old
/// token of a re-issued one) stops hearing stock changes: at once on the server where the manager acted, and within
/// <see cref="TillConnectionCheck"/>'s interval on every other.
/// </summary>
public sealed class TillConnections
{
    private sealed record Open(int TillId, string TokenHash, HubCallerContext Context);

    private readonly ConcurrentDictionary<string, Open> _open = new();

    public void Opened(HubCallerContext context, int tillId, string tokenHash) => _open[context.ConnectionId] = new Open(tillId, tokenHash, context);

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    public IReadOnlyCollection<int> TillIds => _open.Values.Select(o => o.TillId).Distinct().ToList();

    public int Count => _open.Count;

    /// <summary>Closes every connection of a till (revoked, or its token re-issued).</summary>
    public int CloseTill(int tillId) => CloseWhere(o => o.TillId == tillId);

    /// <summary>Closes the connections whose till is gone, revoked (no current token) or has another token now.</summary>
    public int CloseStale(IReadOnlyDictionary<int, string> currentTokens) =>
        CloseWhere(o => !currentTokens.TryGetValue(o.TillId, out var hash) || hash != o.TokenHash);

    private int CloseWhere(Func<Open, bool> stale)
    {
        var closed = 0;
        foreach (var (id, open) in _open)
        {
            if (!stale(open) || !_open.TryRemove(id, out _)) continue;
            open.Context.Abort();
            closed++;
        }
        return closed;
    }
}

/// <summary>Every <c>Tills:ConnectionCheckSeconds</c> (30 s), closes this server's hub connections of revoked or re-issued tokens.</summary>
public sealed class TillConnectionCheck(TillConnections connections, IServiceScopeFactory scopes, IConfiguration configuration,
    ILogger<TillConnectionCheck> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Tills:ConnectionCheckSeconds", 30.0), 0.2, 60));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Checking the tills' hub connections failed; trying again in {Interval}", interval);
            }
        }
    }

    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var ids = connections.TillIds;
        if (ids.Count == 0) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOfficeDb>();
        var current = await db.Tills.AsNoTracking().Where(t => ids.Contains(t.Id) && t.RevokedAt == null)
            .ToDictionaryAsync(t => t.Id, t => t.TokenHash, ct);
        var closed = connections.CloseStale(current);
        if (closed > 0) log.LogInformation("Closed {Count} hub connection(s) of revoked or re-issued till tokens", closed);
        return closed;
    }
}
