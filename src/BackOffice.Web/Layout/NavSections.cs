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
        new("Catalog", Icons.Material.Filled.Inventory2, Policies.BackOffice,
        [
            new("Products", "/catalog/products", Icons.Material.Filled.Medication),
        ]),
        new("Inventory", Icons.Material.Filled.Warehouse, Policies.BackOffice,
        [
            new("Receive goods", "/inventory/receive", Icons.Material.Filled.LocalShipping),
            new("Opening stock", "/inventory/opening-stock", Icons.Material.Filled.UploadFile),
            new("Transfers", "/inventory/transfers", Icons.Material.Filled.SwapHoriz),
            new("Adjustments", "/inventory/adjustments", Icons.Material.Filled.Tune),
            new("Stock takes", "/stock-takes", Icons.Material.Filled.FactCheck),
            new("Discrepancies", "/inventory/discrepancies", Icons.Material.Filled.ReportProblem),
            new("Disposal", "/inventory/disposal", Icons.Material.Filled.DeleteSweep),
        ]),
        new("Lots", Icons.Material.Filled.QrCodeScanner, Policies.BackOffice,
        [
            new("Recalls", "/lots/recalls", Icons.Material.Filled.Report),
        ]),
        new("Stock alerts", Icons.Material.Filled.NotificationsActive, Policies.BackOffice,
        [
            new("Notifications", "/notifications", Icons.Material.Filled.Notifications),
        ]),
        new("Tills", Icons.Material.Filled.PointOfSale, Policies.BackOffice,
        [
            new("Tills", "/tills", Icons.Material.Filled.Devices),
            new("Rejected sales", "/sales/rejected", Icons.Material.Filled.RemoveShoppingCart),
        ]),
        new("Admin", Icons.Material.Filled.AdminPanelSettings, Policies.Admin,
        [
            new("Outlets", "/admin/outlets", Icons.Material.Filled.Store),
            new("Users", "/admin/users", Icons.Material.Filled.People),
            new("API keys", "/admin/api-keys", Icons.Material.Filled.Key),
        ]),
        new("Jobs", Icons.Material.Filled.Schedule, Policies.BackOffice,
        [
            new("Jobs dashboard", "/hangfire", Icons.Material.Filled.Dashboard),
        ]),
        new("Reports", Icons.Material.Filled.Assessment, Policies.BackOffice,
        [
            new("Stock and valuation", "/reports/stock", Icons.Material.Filled.Inventory2),
            new("Expiring soon", "/reports/expiry", Icons.Material.Filled.EventBusy),
            new("Movement ledger", "/reports/ledger", Icons.Material.Filled.ReceiptLong),
            new("Sales", "/reports/sales", Icons.Material.Filled.ShowChart),
            new("Reorder", "/reports/reorder", Icons.Material.Filled.AddShoppingCart),
            new("Shortfalls", "/reports/discrepancies", Icons.Material.Filled.ReportProblem),
            new("Stock-take variance", "/reports/variance", Icons.Material.Filled.FactCheck),
        ]),
    ];
}
