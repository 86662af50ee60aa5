using System.Net;
using BackOffice.Tests.Support;

namespace BackOffice.Tests.Inventory;

/// <summary>POST /api/receipts lines given as a scanned GS1 element string instead of sku, lotNumber and expiryDate.</summary>
public sealed class ReceiptGs1ApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task A_gs1_line_is_received_into_the_product_of_any_of_its_barcodes_with_the_lot_and_expiry_it_holds()
    {
        var product = await app.AddStockedProductAsync("PAR-01");
        await using (var scope = app.CreateDbScope(out var db))
        {
            db.ProductBarcodes.Add(new() { ProductId = product.Id, Code = "036000291452", Key = "00036000291452" });
            await db.SaveChangesAsync();
        }
        var expiry = (await app.TodayAtAsync("PAR-01")).AddYears(2);
        var yymm = expiry.ToString("yyMM");
        using var api = app.IntegrationClient();

        // As a scanner sends it (GS after the variable-length lot), and as people type it, the second barcode's GTIN.
        var response = await api.PostJsonAsync("/api/receipts", new
        {
            outletCode = "PAR-01",
            lines = new object[]
            {
                new { gs1 = $"]d201{product.Barcode!.PadLeft(14, '0')}17{yymm}0010GS-L1\u001d21SER9", quantity = 6, unitCost = 1.5m },
                new { gs1 = $"(01)00036000291452(17){yymm}00(10)GS-L2", quantity = 4, unitCost = 1.5m },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var batches = (await response.JsonAsync())["batches"]!.AsArray();
        var lastDay = new DateOnly(expiry.Year, expiry.Month, DateTime.DaysInMonth(expiry.Year, expiry.Month)).ToString("yyyy-MM-dd");
        batches.Select(b => (b!["sku"]!.GetValue<string>(), b["lotNumber"]!.GetValue<string>(), b["expiryDate"]!.GetValue<string>(), b["quantity"]!.GetValue<int>()))
            .ShouldBe([(product.Sku, "GS-L1", lastDay, 6), (product.Sku, "GS-L2", lastDay, 4)]);
        await app.AssertLedgerHoldsAsync();
    }

    [Theory]
    [InlineData("(01)05012345678901(17)270331(10)L1", "check digit")]
    [InlineData("(01)00000000000000(17)270331(10)L1", "No product has the barcode 00000000000000")]
    [InlineData("(01)05012345678900(17)270231(10)L1", "not a real date")]
    [InlineData("(01)0501234567(10)L1", "cut short")]
    [InlineData("5012345678900", "not a GS1 element string")]
    public async Task A_gs1_line_that_cannot_be_read_is_400_on_its_field_and_stores_nothing(string gs1, string message)
    {
        var product = await app.AddStockedProductAsync("PAR-01");
        var before = await app.LedgerAsync();
        using var api = app.IntegrationClient();

        var response = await api.PostJsonAsync("/api/receipts", new
        {
            outletCode = "PAR-01",
            lines = new object[]
            {
                new { sku = product.Sku, lotNumber = "OK", expiryDate = (await app.TodayAtAsync("PAR-01")).AddDays(90).ToString("yyyy-MM-dd"), quantity = 1, unitCost = 1m },
                new { gs1, quantity = 2, unitCost = 1m },
            },
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ErrorFields().ShouldBe(["lines[1].gs1"]);
        problem["errors"]!["lines[1].gs1"]![0]!.GetValue<string>().ShouldContain(message);
        (await app.LedgerAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_line_with_gs1_and_a_sku_is_400()
    {
        var product = await app.AddStockedProductAsync("PAR-01");
        using var api = app.IntegrationClient();
        var response = await api.PostJsonAsync("/api/receipts", new
        {
            outletCode = "PAR-01",
            lines = new object[] { new { sku = product.Sku, gs1 = $"(01){product.Barcode!.PadLeft(14, '0')}(10)X", quantity = 1, unitCost = 1m } },
        });
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).ErrorFields().ShouldBe(["lines[0].gs1"]);
    }
}
