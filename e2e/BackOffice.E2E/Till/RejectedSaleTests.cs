using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Till;

/// <summary>A sale the server cannot record is held for managers, who settle it once in the back-office.</summary>
[Collection(TillServerCollection.Name)]
public sealed class RejectedSaleTests(BackOfficeServer server)
{
    [Fact]
    public async Task A_sale_of_a_product_deactivated_before_it_synced_is_held_and_a_manager_records_it_once()
    {
        var sku = await server.NewStockedProductAsync("HELD", 20);
        var onHand = await server.OnHandAsync(sku);

        // Sold offline; meanwhile the ERP deactivates the product.
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);
        await device.SetOfflineAsync(true);
        await Assertions.Expect(till.GetByTestId("online-status")).ToHaveAttributeAsync("data-state", "offline");
        var saleId = await till.SellAsync(sku, quantity: 2, keepReceipt: true);
        var status = till.GetByTestId("receipt-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "pending");
        await server.SetProductActiveAsync(sku, false);

        // Online: the server refuses it and holds it; the till forgets it and says so on the receipt.
        await device.SetOfflineAsync(false);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "held", new() { Timeout = 20_000 });
        await Assertions.Expect(status).ToContainTextAsync("Not recorded: held by the server for a manager");
        await Assertions.Expect(status).ToContainTextAsync($"Product '{sku}' is inactive.");
        await Assertions.Expect(till.GetByTestId("sync-badge")).ToHaveAttributeAsync("data-count", "0");
        await server.ScreenshotAsync(till, "till-receipt-held");
        var id = saleId.ToUpperInvariant();
        (await server.SalesWithIdAsync(saleId)).ShouldBe(0);
        (await server.ScalarAsync($"SELECT COUNT(*) FROM RejectedSales WHERE SaleId = '{id}' AND Status = 0")).ShouldBe(1);

        // The back-office shows it waits: on the dashboard, in the app bar, and in the queue with its reason.
        var (office, manager) = await server.SignedInAsync();
        await using var _ = office;
        await Assertions.Expect(manager.GetByTestId("dashboard-rejected")).ToBeVisibleAsync();
        await Assertions.Expect(manager.GetByTestId("rejected-badge")).ToBeVisibleAsync();
        await manager.OpenAsync("/sales/rejected");
        var row = manager.GetByTestId("rejected-sales").Locator("tbody tr").Filter(new() { Has = manager.Locator($"code[title='{saleId}']") });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync($"2 × {sku}");
        await Assertions.Expect(row.GetByTestId("rejected-reason")).ToContainTextAsync($"Product '{sku}' is inactive.");
        await Assertions.Expect(row.GetByTestId("rejected-state")).ToHaveTextAsync("To settle");
        await server.ScreenshotAsync(manager, "rejected-sales");

        // The manager reactivates the product and records the sale as the till sent it.
        await server.SetProductActiveAsync(sku, true);
        var form = manager.GetByTestId("rejected-form");
        await row.GetByTestId("rejected-settle").ClickUntilAsync(form);
        await Assertions.Expect(form.GetByTestId("rejected-line-sku")).ToHaveValueAsync(sku);
        await Assertions.Expect(form.GetByTestId("rejected-line-quantity")).ToHaveValueAsync("2");
        await form.GetByTestId("rejected-note").EnterAsync("Product reactivated");
        await form.GetByTestId("rejected-record").ClickAsync();
        await Assertions.Expect(form).ToBeHiddenAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToHaveCountAsync(0);

        (await server.SalesWithIdAsync(saleId)).ShouldBe(1);
        (await server.SaleLinesAsync(saleId)).ShouldBe($"{sku}×2");
        (await server.ScalarAsync($"SELECT COUNT(*) FROM RejectedSales WHERE SaleId = '{id}' AND Status = 1")).ShouldBe(1);
        (await server.OnHandAsync(sku)).ShouldBe(onHand - 2);

        // Among the settled ones, recorded.
        await manager.GetByTestId("rejected-filter").GetByText("Settled").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("rejected-state")).ToHaveTextAsync("Recorded");
        await Task.Delay(1000);
        (await server.SalesWithIdAsync(saleId)).ShouldBe(1);
    }
}
