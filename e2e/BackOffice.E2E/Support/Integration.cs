using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BackOffice.E2E.Support;

/// <summary>
/// The integration API (Seed:IntegrationApiKey), for what a test needs in place before it starts and for what an ERP does
/// meanwhile: products of its own with stock of its own, so that no test depends on the demo data or on another test.
/// </summary>
public static class Integration
{
    public static string IntegrationApiKey(this BackOfficeServer server)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(server.RepositoryRoot, "appsettings.Development.json")));
        return json.RootElement.GetProperty("Seed").GetProperty("IntegrationApiKey").GetString()!;
    }

    private static HttpClient Client(BackOfficeServer server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.IntegrationApiKey());
        return http;
    }

    /// <summary>PUT /api/products/{sku}: creates or updates the product (no barcode, no expiry tracking).</summary>
    public static async Task PutProductAsync(this BackOfficeServer server, string sku, string name, decimal price, bool active)
    {
        using var http = Client(server);
        using var response = await http.PutAsJsonAsync($"/api/products/{Uri.EscapeDataString(sku)}",
            new { name, barcode = (string?)null, price, reorderLevel = 0, tracksExpiry = false, active });
        response.IsSuccessStatusCode.ShouldBeTrue($"PUT /api/products/{sku} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST /api/receipts: <paramref name="quantity"/> units of the sku into a new lot at the outlet.</summary>
    public static async Task ReceiveStockAsync(this BackOfficeServer server, string outletCode, string sku, int quantity)
    {
        using var http = Client(server);
        using var response = await http.PostAsJsonAsync("/api/receipts", new
        {
            outletCode,
            reference = $"E2E {sku}",
            lines = new[] { new { sku, lotNumber = "L-" + sku, expiryDate = (string?)null, quantity, unitCost = 1.20m } },
        });
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /api/receipts answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A new active product with <paramref name="quantity"/> units at the first outlet (the demo till's, and the one the Tills page
    /// registers new tills at). Under 200 units: TillTests picks the first demo product with at least 200.
    /// </summary>
    public static async Task<string> NewStockedProductAsync(this BackOfficeServer server, string prefix, int quantity = 50)
    {
        var sku = $"E2E-{prefix}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        await server.SetProductActiveAsync(sku, true);
        await server.ReceiveStockAsync(await server.FirstOutletCodeAsync(), sku, quantity);
        return sku;
    }

    /// <summary>Creates, deactivates or reactivates a product made by <see cref="NewStockedProductAsync"/> (same name and price).</summary>
    public static Task SetProductActiveAsync(this BackOfficeServer server, string sku, bool active) =>
        server.PutProductAsync(sku, $"Test product {sku}", 4.25m, active);

    /// <summary>PUT /api/products/{sku}: an active product that tracks expiry, with <paramref name="barcode"/> (an EAN-13).</summary>
    public static async Task PutLotTrackedProductAsync(this BackOfficeServer server, string sku, string barcode, decimal price)
    {
        using var http = Client(server);
        using var response = await http.PutAsJsonAsync($"/api/products/{Uri.EscapeDataString(sku)}",
            new { name = $"Test pack {sku}", barcode, price, reorderLevel = 0, tracksExpiry = true, active = true });
        response.IsSuccessStatusCode.ShouldBeTrue($"PUT /api/products/{sku} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST /api/receipts: <paramref name="quantity"/> units of the sku in lot <paramref name="lotNumber"/> at the outlet.</summary>
    public static async Task ReceiveLotAsync(this BackOfficeServer server, string outletCode, string sku, string lotNumber, DateOnly expiryDate, int quantity)
    {
        using var http = Client(server);
        using var response = await http.PostAsJsonAsync("/api/receipts", new
        {
            outletCode,
            reference = $"E2E {sku} {lotNumber}",
            lines = new[] { new { sku, lotNumber, expiryDate = expiryDate.ToString("yyyy-MM-dd"), quantity, unitCost = 1.20m } },
        });
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /api/receipts answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST /api/lots/recall: the lot is quarantined at every outlet.</summary>
    public static async Task RecallLotAsync(this BackOfficeServer server, string sku, string lotNumber, string reason)
    {
        using var http = Client(server);
        using var response = await http.PostAsJsonAsync("/api/lots/recall", new { sku, lotNumber, reason });
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /api/lots/recall answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST /api/lots/release: the lot is sellable again.</summary>
    public static async Task ReleaseLotAsync(this BackOfficeServer server, string sku, string lotNumber, string reason)
    {
        using var http = Client(server);
        using var response = await http.PostAsJsonAsync("/api/lots/release", new { sku, lotNumber, reason });
        response.IsSuccessStatusCode.ShouldBeTrue($"POST /api/lots/release answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A random EAN-13 in the 20–29 range (numbers for a shop's own use), with its check digit.</summary>
    public static string NewEan13()
    {
        var digits = "2" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)));
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        return digits + (10 - sum % 10) % 10;
    }

    /// <summary>Each lot of the recorded sale that its units came from, as "LOT×quantity" in line order, comma-separated.</summary>
    public static Task<string?> SaleAllocationsAsync(this BackOfficeServer server, string saleId) =>
        server.TextAsync($"""
            SELECT group_concat(x, ',') FROM (
              SELECT b.LotNumber || '×' || a.Quantity AS x FROM Allocations a JOIN SaleLines l ON l.Id = a.SaleLineId
              JOIN Batches b ON b.Id = a.BatchId
              WHERE l.SaleId = '{saleId.ToUpperInvariant()}' ORDER BY l.LineNumber, a.Id)
            """);

    public static async Task<string> FirstOutletCodeAsync(this BackOfficeServer server) =>
        await server.TextAsync("SELECT Code FROM Outlets ORDER BY Id LIMIT 1") ?? throw new InvalidOperationException("No outlet.");

    /// <summary>Units on hand of the sku over every batch (every outlet).</summary>
    public static Task<long> OnHandAsync(this BackOfficeServer server, string sku) =>
        server.ScalarAsync($"SELECT COALESCE(SUM(b.OnHand), 0) FROM Batches b JOIN Products p ON p.Id = b.ProductId WHERE p.Sku = '{sku}'");

    /// <summary>How many sales the server recorded under this sale id (0 or 1).</summary>
    public static Task<long> SalesWithIdAsync(this BackOfficeServer server, string saleId) =>
        server.ScalarAsync($"SELECT COUNT(*) FROM Sales WHERE Id = '{saleId.ToUpperInvariant()}'");

    /// <summary>The recorded sale's lines as "SKU×quantity" in line order, comma-separated (null for no sale).</summary>
    public static Task<string?> SaleLinesAsync(this BackOfficeServer server, string saleId) =>
        server.TextAsync($"""
            SELECT group_concat(x, ',') FROM (
              SELECT p.Sku || '×' || l.Quantity AS x FROM SaleLines l JOIN Products p ON p.Id = l.ProductId
              WHERE l.SaleId = '{saleId.ToUpperInvariant()}' ORDER BY l.LineNumber)
            """);
}
