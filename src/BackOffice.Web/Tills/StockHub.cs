using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using BackOffice.Core.Inventory;
using BackOffice.Web.Hosting;
using BackOffice.Web.Inventory;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Tills;

/// <summary>Server → client message of /hubs/stock (api.md).</summary>
public sealed record StockChanged(string OutletCode, string Sku, int Available);

/// <summary>The hub's message telling an outlet's tills to fetch their catalog now (api.md).</summary>
public sealed record CatalogChanged(string OutletCode);

/// <summary>
/// Live stock. A till's connection joins its outlet's group on connect and never hears another outlet; managers and
/// admins (cookie) join the outlets they watch with <see cref="JoinOutlet"/>.
/// </summary>
[Authorize(Policy = ApiPolicies.StockHub)]
public sealed class StockHub(BackOfficeDb db, TillConnections tills) : Hub
{
    public const string Path = "/hubs/stock";

    public static string GroupFor(string outletCode) => "outlet:" + outletCode.ToUpperInvariant();

    public override async Task OnConnectedAsync()
    {
        if (Context.User?.FindFirst(ApiClaims.OutletCode)?.Value is { } outlet)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupFor(outlet));
            Watched.Add(outlet.ToUpperInvariant());
            if (Context.User!.FindFirst(ApiClaims.TillId)?.Value is { } tillId && Context.User.FindFirst(ApiClaims.TokenHash)?.Value is { } hash)
                tills.Opened(Context, int.Parse(tillId, System.Globalization.CultureInfo.InvariantCulture), hash);
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        tills.Closed(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// The outlets this connection hears. The handshake completes before the server has joined the till's group, so a
    /// client that must not miss a message calls this once after connecting: invocations run only after that join.
    /// </summary>
    public string[] WatchedOutlets() => Watched.Order().ToArray();

    private HashSet<string> Watched =>
        (HashSet<string>)(Context.Items.TryGetValue("outlets", out var set) ? set! : Context.Items["outlets"] = new HashSet<string>());

    /// <summary>For back-office users: receive StockChanged of one outlet. Returns false for an unknown outlet.</summary>
    public async Task<bool> JoinOutlet(string outletCode)
    {
        RequireBackOfficeUser();
        if (string.IsNullOrWhiteSpace(outletCode) || !await db.Outlets.AnyAsync(o => o.Code == outletCode.Trim())) return false;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupFor(outletCode.Trim()));
        Watched.Add(outletCode.Trim().ToUpperInvariant());
        return true;
    }

    public async Task LeaveOutlet(string outletCode)
    {
        RequireBackOfficeUser();
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupFor(outletCode.Trim()));
        Watched.Remove(outletCode.Trim().ToUpperInvariant());
    }

    // A till stays in its own outlet's group: it must not listen to other outlets.
    private void RequireBackOfficeUser()
    {
        if (Context.User is not { } user || !(user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Manager)))
            throw new HubException("Only managers and admins choose the outlets they watch.");
    }
}

/// <summary>
/// Pushes committed stock changes to the outlet's group: one message per sku per transaction (through Redis when scaled
/// out), and tells the <see cref="StockChangeFeed"/> for the pages open on this server (and, through the
/// <see cref="StockChangeRelay"/>, on the others).
/// </summary>
public sealed class HubStockChangeNotifier(IHubContext<StockHub> hub, StockChangeFeed feed, ILogger<HubStockChangeNotifier> log) : IStockChangeNotifier
{
    public async Task StockChangedAsync(IReadOnlyList<StockLevel> levels, CancellationToken ct = default)
    {
        feed.Publish(levels);
        foreach (var level in levels.DistinctBy(l => (l.OutletId, l.ProductId)))
        {
            try
            {
                // Not the request's token: the change is committed, the tills must hear of it even if the caller has gone.
                await hub.Clients.Group(StockHub.GroupFor(level.OutletCode))
                    .SendAsync("StockChanged", new StockChanged(level.OutletCode, level.Sku, level.Available), CancellationToken.None);
            }
            catch (Exception e)
            {
                // The change is committed; a lost notification only delays the tills until their next catalog fetch.
                log.LogWarning(e, "StockChanged for {Outlet}/{Sku} could not be sent", level.OutletCode, level.Sku);
            }
        }
    }

    public async Task CatalogChangedAsync(IReadOnlyList<string> outletCodes, CancellationToken ct = default)
    {
        foreach (var code in outletCodes)
        {
            try
            {
                await hub.Clients.Group(StockHub.GroupFor(code)).SendAsync("CatalogChanged", new CatalogChanged(code), CancellationToken.None);
            }
            catch (Exception e)
            {
                // Committed already; the tills still fetch their catalog within their periodic check.
                log.LogWarning(e, "CatalogChanged for {Outlet} could not be sent", code);
            }
        }
    }
}
