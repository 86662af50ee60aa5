using BackOffice.Web.Hosting;
using MudBlazor;

namespace BackOffice.Web.Layout;

public sealed record NavLinkItem(string Title, string Href, string Icon);

public sealed record NavSection(string Title, string Icon, string Policy, IReadOnlyList<NavLinkItem> Links);

/// <summary>The back-office navigation by feature. A page is listed here when it exists.</summary>
public static class NavSections
{
    public static readonly List<NavSection> All =
    [
        new("Reports", Icons.Material.Filled.Assessment, Policies.BackOffice,
        [
            new("Stock and valuation", "/reports/stock", Icons.Material.Filled.Inventory2),
            new("Expiring soon", "/reports/expiry", Icons.Material.Filled.EventBusy),
            new("Movement ledger", "/reports/ledger", Icons.Material.Filled.ReceiptLong),
            new("Sales", "/reports/sales", Icons.Material.Filled.ShowChart),
            new("Reorder", "/reports/reorder", Icons.Material.Filled.AddShoppingCart),
            new("Discrepancies", "/reports/discrepancies", Icons.Material.Filled.ReportProblem),
            new("Stock-take variance", "/reports/variance", Icons.Material.Filled.FactCheck),
        ]),
    ];
}
