using System.Text.Json;
using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Till;

/// <summary>GS1 packs at the till: scanned with their lot, sold from that lot, and a recalled or expired pack stopped at the scanner.</summary>
[Collection(TillServerCollection.Name)]
public sealed class TillLotTests(BackOfficeServer server)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>What a pack's DataMatrix holds, as a scanner sends it: GTIN, expiry, lot, GS, serial.</summary>
    private static string Gs1(string ean13, DateOnly expiry, string lot) => $"010{ean13}17{expiry:yyMMdd}10{lot}\u001d21SN{Random.Shared.Next(100000, 999999)}";

    /// <summary>A product of this test's own with a barcode and one lot per (lot, expiry) at the demo till's outlet.</summary>
    private async Task<(string Sku, string Ean13)> ProductWithLotsAsync(string prefix, params (string Lot, DateOnly Expiry)[] lots)
    {
        var sku = $"E2E-{prefix}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var ean13 = Integration.NewEan13();
        await server.PutLotTrackedProductAsync(sku, ean13, 5.10m);
        var outlet = await server.FirstOutletCodeAsync();
        foreach (var (lot, expiry) in lots) await server.ReceiveLotAsync(outlet, sku, lot, expiry, 5);
        return (sku, ean13);
    }

    [Fact]
    public async Task A_scanned_GS1_pack_goes_in_the_cart_with_its_lot_and_the_sale_is_sold_from_that_lot()
    {
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var (early, scanned) = ($"LE{suffix}", $"LS{suffix}");
        // FEFO alone would take the early lot: a sale from the scanned lot shows the lot went with the line.
        var (sku, ean13) = await ProductWithLotsAsync("LOT", (early, Today.AddDays(60)), (scanned, Today.AddDays(400)));
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);

        // Two packs of the scanned lot, then one by its plain EAN-13: a line for the lot, a line without.
        await till.ScanAsync(Gs1(ean13, Today.AddDays(400), scanned));
        var lotLine = till.Locator($"[data-testid=cart-line][data-sku='{sku}'][data-lot='{scanned}']");
        await Assertions.Expect(lotLine).ToHaveAttributeAsync("data-quantity", "1");
        await till.ScanAsync(Gs1(ean13, Today.AddDays(400), scanned));
        await Assertions.Expect(lotLine).ToHaveAttributeAsync("data-quantity", "2");
        await Assertions.Expect(lotLine.GetByTestId("cart-line-lot")).ToHaveTextAsync($"Lot {scanned} · exp {Today.AddDays(400):yyyy-MM-dd}");
        await till.ScanAsync(ean13);
        await Assertions.Expect(till.Locator($"[data-testid=cart-line][data-sku='{sku}'][data-lot='']")).ToHaveAttributeAsync("data-quantity", "1");
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(2);
        await Assertions.Expect(till.GetByTestId("search")).ToHaveValueAsync(sku, new() { Timeout = 2_000 });   // the scans left the field as it was
        await server.ScreenshotAsync(till, "till-cart-scanned-lot");
        var saleId = (await till.GetByTestId("cart").GetAttributeAsync("data-sale-id"))!;

        await till.GetByTestId("pay").ClickAsync();
        var upload = await till.RunAndWaitForRequestAsync(
            () => till.GetByTestId("confirm-payment").ClickAsync(),
            r => r.Method == "POST" && r.Url.Contains("/api/till/sales") && (r.PostData ?? "").Contains(saleId, StringComparison.OrdinalIgnoreCase));
        using (var body = JsonDocument.Parse(upload.PostData!))
        {
            var sale = body.RootElement.GetProperty("sales").EnumerateArray().Single(s => s.GetProperty("saleId").GetString() == saleId);
            var lines = sale.GetProperty("lines").EnumerateArray().ToList();
            lines.Count.ShouldBe(2);
            lines[0].GetProperty("lotNumber").GetString().ShouldBe(scanned);
            lines[0].GetProperty("quantity").GetInt32().ShouldBe(2);
            lines[1].TryGetProperty("lotNumber", out _).ShouldBeFalse("a line scanned by its plain barcode names no lot");
        }

        var receipt = till.GetByTestId("receipt");
        await Assertions.Expect(receipt).ToHaveAttributeAsync("data-status", "recorded", new() { Timeout = 15_000 });
        await Assertions.Expect(receipt.GetByTestId("receipt-scanned-lot")).ToHaveTextAsync($"Lot {scanned} · exp {Today.AddDays(400):yyyy-MM-dd}");
        await Assertions.Expect(receipt.Locator($"[data-testid=receipt-lot][data-lot='{scanned}']")).ToHaveAttributeAsync("data-quantity", "2");
        await server.ScreenshotAsync(till, "till-receipt-scanned-lot");
        // The scanned line came from its lot; the plain one FEFO, from the early lot.
        (await server.SaleAllocationsAsync(saleId)).ShouldBe($"{scanned}×2,{early}×1");
    }

    [Fact]
    public async Task A_recalled_lot_is_stopped_at_the_till_once_the_catalog_is_refreshed_even_offline()
    {
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var (recalled, good) = ($"LR{suffix}", $"LG{suffix}");
        var (sku, ean13) = await ProductWithLotsAsync("RECALL", (recalled, Today.AddDays(200)), (good, Today.AddDays(300)));
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);
        await Assertions.Expect(till.ProductRow(sku).GetByTestId("product-recalled")).ToHaveCountAsync(0);

        await server.RecallLotAsync(sku, recalled, "E2E: supplier recall");
        // The till learns of it with its next catalog: here, at start-up.
        await till.ReloadAsync();
        await Assertions.Expect(till.GetByTestId("till-screen")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await till.GetByTestId("search").FillAsync(sku);
        await Assertions.Expect(till.ProductRow(sku).GetByTestId("product-recalled")).ToHaveTextAsync($"Recalled: lot {recalled}", new() { Timeout = 15_000 });

        // Offline, from the catalog it has: the pack is refused with what to do, and nothing enters the cart.
        await device.SetOfflineAsync(true);
        await Assertions.Expect(till.GetByTestId("online-status")).ToHaveAttributeAsync("data-state", "offline");
        await till.ScanAsync(Gs1(ean13, Today.AddDays(200), recalled));
        var block = till.GetByTestId("scan-block");
        await Assertions.Expect(block).ToBeVisibleAsync();
        await Assertions.Expect(block.GetByTestId("scan-block-message")).ToHaveTextAsync($"Recalled lot {recalled} — do not sell, put the pack aside for disposal");
        await Assertions.Expect(block.GetByTestId("scan-block-product")).ToContainTextAsync(sku);
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(0);
        await server.ScreenshotAsync(till, "till-recalled-lot-blocked");
        await block.GetByTestId("scan-block-dismiss").ClickAsync();
        await Assertions.Expect(block).ToBeHiddenAsync();

        // Another lot of the same product still sells.
        await till.ScanAsync(Gs1(ean13, Today.AddDays(300), good));
        await Assertions.Expect(till.Locator($"[data-testid=cart-line][data-lot='{good}']")).ToHaveAttributeAsync("data-quantity", "1");
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await device.SetOfflineAsync(false);
    }

    [Fact]
    public async Task An_open_till_learns_of_a_recall_at_once_through_the_hub_and_of_the_release_too()
    {
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var recalled = $"LH{suffix}";
        var (sku, ean13) = await ProductWithLotsAsync("HUBRC", (recalled, Today.AddDays(200)), ($"LK{suffix}", Today.AddDays(300)));
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);
        await Assertions.Expect(till.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        await Assertions.Expect(till.ProductRow(sku).GetByTestId("product-recalled")).ToHaveCountAsync(0);

        // No reload and no periodic check (5 minutes): the hub's CatalogChanged makes the till fetch its catalog.
        await server.RecallLotAsync(sku, recalled, "E2E: recall while the till is open");
        await Assertions.Expect(till.ProductRow(sku).GetByTestId("product-recalled")).ToHaveTextAsync($"Recalled: lot {recalled}", new() { Timeout = 10_000 });
        await till.ScanAsync(Gs1(ean13, Today.AddDays(200), recalled));
        await Assertions.Expect(till.GetByTestId("scan-block")).ToBeVisibleAsync();
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(0);
        await till.GetByTestId("scan-block-dismiss").ClickAsync();

        await server.ReleaseLotAsync(sku, recalled, "E2E: recall withdrawn");
        await Assertions.Expect(till.ProductRow(sku).GetByTestId("product-recalled")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task A_recalled_pack_sold_offline_from_a_stale_catalog_is_recorded_from_its_lot_with_a_discrepancy_and_the_next_one_is_flagged()
    {
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var recalled = $"LR{suffix}";
        var (sku, ean13) = await ProductWithLotsAsync("STALE", (recalled, Today.AddDays(200)), ($"LG{suffix}", Today.AddDays(100)));
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);

        // Offline, the till cannot learn of the recall: the pack sells, and the sale waits in the queue with its lot.
        await device.SetOfflineAsync(true);
        await Assertions.Expect(till.GetByTestId("online-status")).ToHaveAttributeAsync("data-state", "offline");
        await server.RecallLotAsync(sku, recalled, "E2E: recalled while the till was offline");
        await till.ScanAsync(Gs1(ean13, Today.AddDays(200), recalled));
        await Assertions.Expect(till.Locator($"[data-testid=cart-line][data-lot='{recalled}']")).ToHaveAttributeAsync("data-quantity", "1");
        var saleId = (await till.GetByTestId("cart").GetAttributeAsync("data-sale-id"))!;
        await till.GetByTestId("pay").ClickAsync();
        await till.GetByTestId("confirm-payment").ClickAsync();
        await Assertions.Expect(till.GetByTestId("receipt-status")).ToHaveAttributeAsync("data-status", "pending");
        // The next pack of that lot, still from the stale catalog.
        await till.ScanAsync(Gs1(ean13, Today.AddDays(200), recalled));
        var next = till.Locator($"[data-testid=cart-line][data-lot='{recalled}']");
        await Assertions.Expect(next).ToHaveAttributeAsync("data-quantity", "1");

        // Online: the sale is recorded from the recalled lot (the pack has left the shop) with a discrepancy for managers, and the
        // catalog fetched after the upload flags the pack still in the cart.
        await device.SetOfflineAsync(false);
        await TillPages.WaitUntilAsync(async () => await server.SalesWithIdAsync(saleId) == 1, "the offline sale on the server", 30);
        (await server.SaleAllocationsAsync(saleId)).ShouldBe($"{recalled}×1");
        (await server.ScalarAsync($"""
            SELECT COUNT(*) FROM Discrepancies d JOIN Products p ON p.Id = d.ProductId
            WHERE p.Sku = '{sku}' AND d.Kind = 3 AND d.Quantity = 1
            """)).ShouldBe(1, "one recalled-lot-sold discrepancy");
        var warning = next.Locator("[data-testid=cart-line-warning][data-type=recalled]");
        await Assertions.Expect(warning).ToHaveTextAsync($"Recalled lot {recalled} — do not sell, put the pack aside for disposal: remove it from the sale",
            new() { Timeout = 20_000 });
        await server.ScreenshotAsync(till, "till-cart-recalled-since-scanned");
    }

    [Fact]
    public async Task An_expired_pack_is_stopped_at_the_scanner_with_what_to_do_and_the_next_item_clears_the_message()
    {
        var suffix = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var (sku, ean13) = await ProductWithLotsAsync("EXPIRED", ($"LG{suffix}", Today.AddDays(300)));
        await using var device = await server.NewContextAsync();
        var till = await device.OpenTillAsync(server.DemoTillToken(), sku);

        // Its printed expiry has passed (a lot not even on record): whatever the stock says, it is refused.
        await till.ScanAsync(Gs1(ean13, Today.AddDays(-3), $"LX{suffix}"));
        var block = till.GetByTestId("scan-block");
        await Assertions.Expect(block.GetByTestId("scan-block-message")).ToHaveTextAsync(
            $"Expired pack (lot LX{suffix}, expiry {Today.AddDays(-3):yyyy-MM-dd}) — do not sell, put the pack aside for disposal");
        await Assertions.Expect(till.GetByTestId("cart-line")).ToHaveCountAsync(0);
        await Assertions.Expect(till.GetByTestId("scan-block-dismiss")).ToBeFocusedAsync();
        var audit = await BackOffice.E2E.Accessibility.AxeAudit.RunAsync(till, strict: true);
        audit.Failing.ShouldBeEmpty(BackOffice.E2E.Accessibility.AxeAudit.Report("a pack stopped at the scanner", till.Url, audit.Failing));
        await server.ScreenshotAsync(till, "till-expired-pack-blocked");

        // A good pack goes in, and the message goes away.
        await till.ScanAsync(Gs1(ean13, Today.AddDays(300), $"LG{suffix}"));
        await Assertions.Expect(till.Locator($"[data-testid=cart-line][data-lot='LG{suffix}']")).ToHaveAttributeAsync("data-quantity", "1");
        await Assertions.Expect(block).ToBeHiddenAsync();
    }
}
