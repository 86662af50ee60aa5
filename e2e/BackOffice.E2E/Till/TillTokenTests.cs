using System.Text.Json;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Till;

/// <summary>
/// A till whose token stops working keeps its sales: with a new token for the same till it uploads them, and a device that
/// will not connect again exports them for a manager to import. Each test registers a till and a product of its own.
/// </summary>
[Collection(TillServerCollection.Name)]
public sealed class TillTokenTests(BackOfficeServer server)
{
    private static string Unique(string what) => $"{what} {Guid.NewGuid().ToString("N")[..6]}";

    private async Task<long> TillIdAsync(string name)
    {
        var id = await server.ScalarAsync($"SELECT Id FROM Tills WHERE Name = '{name}'");
        // The Tills page registers at its first outlet, the one the test product was received at.
        (await server.TextAsync($"SELECT o.Code FROM Tills t JOIN Outlets o ON o.Id = t.OutletId WHERE t.Id = {id}"))
            .ShouldBe(await server.FirstOutletCodeAsync());
        return id;
    }

    private Task<long> SalesOfTillAsync(long tillId) => server.ScalarAsync($"SELECT COUNT(*) FROM Sales WHERE TillId = {tillId}");

    private Task<string?> PendingOnDeviceAsync(long tillId) => server.TextAsync($"SELECT PendingOnDevice FROM Tills WHERE Id = {tillId}");

    /// <summary>Revokes the till on the Tills page (opened afresh, so its figures are current), checking what the dialog says.</summary>
    private static async Task RevokeAsync(IPage manager, string name, string pending, string dialogSays)
    {
        await manager.OpenAsync("/tills");
        var row = manager.TillRow(name);
        await Assertions.Expect(row.GetByTestId("till-pending")).ToHaveTextAsync(pending);
        await row.GetByTestId("till-revoke").ClickAsync();
        var dialog = manager.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Revoke {name} at");
        await Assertions.Expect(dialog).ToContainTextAsync(dialogSays);
        await manager.DialogButton("Revoke").ClickAsync();
        await Assertions.Expect(row.GetByTestId("till-revoked")).ToBeVisibleAsync();
    }

    private async Task ShouldBeRecordedOnceAsync(long tillId, string sku, IReadOnlyList<(string SaleId, int Quantity)> sold)
    {
        (await SalesOfTillAsync(tillId)).ShouldBe(sold.Count);
        foreach (var (saleId, quantity) in sold)
        {
            (await server.SalesWithIdAsync(saleId)).ShouldBe(1, $"sale {saleId}");
            (await server.SaleLinesAsync(saleId)).ShouldBe($"{sku}×{quantity}", $"sale {saleId}");
        }
    }

    [Fact]
    public async Task A_revoked_till_given_a_new_token_uploads_the_sales_it_held_once()
    {
        var sku = await server.NewStockedProductAsync("REISSUE");
        var onHand = await server.OnHandAsync(sku);
        var name = Unique("E2E reissued till");
        var (office, manager) = await server.SignedInAsync();
        await using var _ = office;
        var token = await manager.RegisterTillAsync(name);
        var tillId = await TillIdAsync(name);

        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(token, sku);
        // Connected, it said it holds nothing (X-Till-Pending: 0); offline, it says nothing more.
        await TillPages.WaitUntilAsync(async () => await PendingOnDeviceAsync(tillId) == "0", "the till's X-Till-Pending: 0", 15);
        await device.SetOfflineAsync(true);
        await Assertions.Expect(till.GetByTestId("online-status")).ToHaveAttributeAsync("data-state", "offline");
        var sold = new List<(string, int)>();
        for (var quantity = 1; quantity <= 3; quantity++) sold.Add((await till.SellAsync(sku, quantity), quantity));
        var badge = till.GetByTestId("sync-badge");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "3");

        await RevokeAsync(manager, name, pending: "0", dialogSays: "Its device held no unsent sales when it last called");

        // Back online, the till's calls get 401: it says what waits on it and how to get it out.
        await device.SetOfflineAsync(false);
        var banner = till.GetByTestId("auth-banner");
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-pending", "3");
        await Assertions.Expect(till.GetByTestId("auth-banner-text")).ToContainTextAsync("3 sale(s) wait on this device");
        await Assertions.Expect(till.GetByTestId("auth-fix")).ToBeVisibleAsync();
        await Assertions.Expect(till.GetByTestId("auth-export")).ToBeVisibleAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "3");
        await server.ScreenshotAsync(till, "till-token-refused");
        (await SalesOfTillAsync(tillId)).ShouldBe(0);

        // A new token for the same till.
        var row = manager.TillRow(name);
        await row.GetByTestId("till-reissue").ClickAsync();
        await Assertions.Expect(manager.Locator(".mud-dialog")).ToContainTextAsync("the till is active again");
        await manager.DialogButton("Issue new token").ClickAsync();
        await Assertions.Expect(manager.GetByTestId("secret-value")).ToBeVisibleAsync();
        var newToken = (await manager.GetByTestId("secret-value").InnerTextAsync()).Trim();
        newToken.ShouldStartWith("till_");
        newToken.ShouldNotBe(token);
        await Assertions.Expect(row.GetByTestId("till-revoked")).ToHaveCountAsync(0);

        // The cashier enters it: the till keeps its history and uploads its queue.
        await till.GetByTestId("auth-fix").ClickAsync();
        await Assertions.Expect(till.GetByTestId("setup-screen")).ToBeVisibleAsync();
        await Assertions.Expect(till.GetByTestId("setup-message")).ToContainTextAsync("The 3 sale(s) waiting on this device stay here");
        await till.GetByTestId("token-input").FillAsync(newToken);
        await till.GetByTestId("token-submit").ClickAsync();
        await Assertions.Expect(till.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await TillPages.WaitUntilAsync(async () => await SalesOfTillAsync(tillId) >= 3, "the till's 3 sales on the server", 30);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 15_000 });
        await Assertions.Expect(badge).ToHaveTextAsync("All sales synced");
        await Assertions.Expect(banner).ToBeHiddenAsync();
        await server.ScreenshotAsync(till, "till-new-token-synced");

        await Task.Delay(1500);
        await ShouldBeRecordedOnceAsync(tillId, sku, sold);
        (await server.OnHandAsync(sku)).ShouldBe(onHand - 6);
    }

    [Fact]
    public async Task A_revoked_tills_export_is_imported_in_the_back_office_each_sale_once()
    {
        var sku = await server.NewStockedProductAsync("EXPORT");
        var onHand = await server.OnHandAsync(sku);
        var name = Unique("E2E exported till");
        var (office, manager) = await server.SignedInAsync();
        await using var _ = office;
        var token = await manager.RegisterTillAsync(name);
        var tillId = await TillIdAsync(name);

        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(token, sku);
        // Its uploads do not get through, but its other calls do: the server learns how many sales it holds.
        await device.RouteAsync("**/api/till/sales/sync", route => route.AbortAsync());
        var sold = new List<(string, int)>();
        foreach (var quantity in new[] { 1, 2, 1 }) sold.Add((await till.SellAsync(sku, quantity), quantity));
        await Assertions.Expect(till.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "3");
        await till.GetByTestId("nav-sync").ClickAsync();
        await till.GetByTestId("sync-now").ClickAsync();   // also asks the server who the till is, saying X-Till-Pending: 3
        await TillPages.WaitUntilAsync(async () => await PendingOnDeviceAsync(tillId) == "3", "the till's X-Till-Pending: 3", 15);

        await RevokeAsync(manager, name, pending: "3", dialogSays: "Its device was last known to hold 3 unsent sale(s) and return(s)");

        await device.UnrouteAsync("**/api/till/sales/sync");
        await till.GetByTestId("sync-now").ClickAsync();
        await Assertions.Expect(till.GetByTestId("auth-banner")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(till.GetByTestId("auth-banner-text")).ToContainTextAsync("3 sale(s) wait on this device");
        (await SalesOfTillAsync(tillId)).ShouldBe(0);

        // The cashier exports what the till holds (from the Till & sync view, and the same from the banner).
        var export = till.GetByTestId("export-unsent");
        await Assertions.Expect(export).ToHaveAttributeAsync("data-count", "3");
        var file = Path.Combine(server.ArtifactsFolder, $"till-export-{tillId}.json");
        var download = await till.RunAndWaitForDownloadAsync(() => export.ClickAsync());
        download.SuggestedFilename.ShouldStartWith("unsent-");
        download.SuggestedFilename.ShouldEndWith(".json");
        await download.SaveAsAsync(file);
        ExportedSaleIds(file, tillId).ShouldBe(sold.Select(s => s.Item1), ignoreOrder: true);
        var fromBanner = await till.RunAndWaitForDownloadAsync(() => till.GetByTestId("auth-export").ClickAsync());
        var bannerFile = Path.Combine(server.ArtifactsFolder, $"till-export-{tillId}-banner.json");
        await fromBanner.SaveAsAsync(bannerFile);
        ExportedSaleIds(bannerFile, tillId).ShouldBe(sold.Select(s => s.Item1), ignoreOrder: true);
        await Assertions.Expect(till.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "3");   // exporting keeps them

        // The manager imports it: recorded once, and once only however often the file comes.
        await ImportAsync(manager, file, $"{name} (");
        await Assertions.Expect(manager.GetByTestId("till-import-summary")).ToContainTextAsync("3 sale(s) in the file — 3 recorded now, 0 already on the server, 0 rejected");
        await server.ScreenshotAsync(manager, "till-import");
        await ShouldBeRecordedOnceAsync(tillId, sku, sold);
        await manager.GetByTestId("till-import-close").ClickAsync();

        await ImportAsync(manager, file, $"{name} (");
        await Assertions.Expect(manager.GetByTestId("till-import-summary")).ToContainTextAsync("0 recorded now, 3 already on the server, 0 rejected");
        await ShouldBeRecordedOnceAsync(tillId, sku, sold);
        (await server.OnHandAsync(sku)).ShouldBe(onHand - 4);
    }

    private static async Task ImportAsync(IPage manager, string file, string summaryStart)
    {
        await manager.GetByTestId("till-import-open").ClickUntilAsync(manager.GetByTestId("till-import-choose"));
        // MudFileUpload (MudBlazor 9) puts its data-testid on the file input itself.
        await manager.Locator("input[type=file][data-testid=till-import-file]").SetInputFilesAsync(file);
        await Assertions.Expect(manager.GetByTestId("till-import-summary")).ToContainTextAsync(summaryStart, new() { Timeout = 15_000 });
    }

    private static List<string> ExportedSaleIds(string file, long tillId)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        root.GetProperty("format").GetString().ShouldBe("backoffice-till-export");
        root.GetProperty("till").GetProperty("tillId").GetInt64().ShouldBe(tillId);
        return root.GetProperty("sales").EnumerateArray().Select(s => s.GetProperty("saleId").GetString()!).ToList();
    }
}
