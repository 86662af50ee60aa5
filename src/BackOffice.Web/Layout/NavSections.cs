namespace BackOffice.Web.Layout;

public sealed record NavLinkItem(string Title, string Href, string Icon);

public sealed record NavSection(string Title, string Icon, string Policy, IReadOnlyList<NavLinkItem> Links);

/// <summary>The back-office navigation by feature. A page is listed here when it exists.</summary>
public static class NavSections
{
    public static readonly List<NavSection> All =
    [
        new("Stock alerts", MudBlazor.Icons.Material.Filled.NotificationsActive, Hosting.Policies.BackOffice,
        [
            new("Notifications", "/notifications", MudBlazor.Icons.Material.Filled.Notifications),
        ]),
        new("Jobs", MudBlazor.Icons.Material.Filled.Schedule, Hosting.Policies.BackOffice,
        [
            new("Jobs dashboard", "/hangfire", MudBlazor.Icons.Material.Filled.Dashboard),
        ]),
    ];
}
