using System.Net;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Outlets;

/// <summary>A closed outlet keeps its history and takes no new tills, receipts or transfers in; reopened, it does again.</summary>
public sealed class ClosedOutletTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    private async Task<(int Id, string Code)> OutletAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var code = $"C{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var id = await scope.ServiceProvider.GetRequiredService<OutletRegistry>().CreateAsync(new OutletForm
        {
            Code = code, Name = "Closing soon", TimeZoneId = "Europe/London", Currency = "GBP", Culture = "en-GB", PricesIncludeTax = true,
            TaxRates = [new() { Category = "standard", RatePercent = 20m }],
        });
        return (id, code);
    }

    private async Task WithAsync<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    [Fact]
    public async Task A_closed_outlet_refuses_a_receipt_through_the_api_with_an_outletCode_error_and_keeps_its_stock()
    {
        var (id, code) = await OutletAsync();
        var product = await app.AddStockedProductAsync(code, ("LOT-1", new DateOnly(2099, 1, 1), 5));
        await WithAsync<OutletRegistry>(r => r.CloseAsync(id));

        using var api = app.IntegrationClient();
        var body = new { outletCode = code, lines = new[] { new { sku = product.Sku, lotNumber = "LOT-2", expiryDate = "2099-02-01", quantity = 3, unitCost = 1m } } };
        var refused = await api.PostJsonAsync("/api/receipts", body);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await refused.Content.ReadAsStringAsync());
        var problem = await refused.JsonAsync();
        problem["errors"]!["outletCode"]![0]!.GetValue<string>().ShouldContain("closed");

        // Its history stays: the batch, its receipt and its ledger line, and its stock is still readable.
        await using (var scope = app.CreateDbScope(out var db))
        {
            (await db.Batches.Where(b => b.OutletId == id).SumAsync(b => b.OnHand)).ShouldBe(5);
            (await db.Receipts.CountAsync(r => r.OutletId == id)).ShouldBe(1);
            (await db.Movements.CountAsync(m => m.OutletId == id)).ShouldBe(1);
        }
        (await api.GetAsync($"/api/stock/{code}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await WithAsync<OutletRegistry>(r => r.ReopenAsync(id));
        (await api.PostJsonAsync("/api/receipts", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_closed_outlet_takes_no_new_till_nor_a_new_token_but_its_tills_still_upload_what_they_sold()
    {
        var (id, code) = await OutletAsync();
        var product = await app.AddStockedProductAsync(code, ("LOT-1", new DateOnly(2099, 1, 1), 5));
        IssuedSecret till = null!;
        await WithAsync<TillRegistry>(async r => till = await r.RegisterTillAsync(id, "Counter 1"));
        await WithAsync<OutletRegistry>(r => r.CloseAsync(id));

        await WithAsync<TillRegistry>(async r =>
        {
            (await Should.ThrowAsync<ValidationFailedException>(() => r.RegisterTillAsync(id, "Counter 2"))).Errors.Keys.ShouldBe(["outletId"]);
            (await Should.ThrowAsync<ValidationFailedException>(() => r.ReissueTokenAsync(till.Id))).Errors.Keys.ShouldBe(["tillId"]);
        });
        // The till it had keeps working, so that what it sold still reaches the server.
        using var tillClient = app.BearerClient(till.Secret);
        (await tillClient.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var saleId = Guid.NewGuid();
        var sync = await tillClient.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { Api.Sale(saleId, product.Sku, 2) } });
        sync.StatusCode.ShouldBe(HttpStatusCode.OK, await sync.Content.ReadAsStringAsync());
        (await sync.JsonAsync())["results"]![0]!["status"]!.GetValue<string>().ShouldBe("recorded");
        await using (var scope = app.CreateDbScope(out var db))
            (await db.Sales.AnyAsync(s => s.Id == saleId && s.OutletId == id)).ShouldBeTrue();

        await WithAsync<OutletRegistry>(r => r.ReopenAsync(id));
        await WithAsync<TillRegistry>(async r => (await r.RegisterTillAsync(id, "Counter 2")).Secret.ShouldStartWith("till_"));
    }

    [Fact]
    public async Task Stock_moves_out_of_a_closed_outlet_but_not_into_one()
    {
        var (fromId, from) = await OutletAsync();
        var (toId, to) = await OutletAsync();
        var product = await app.AddStockedProductAsync(from, ("LOT-1", new DateOnly(2099, 1, 1), 6));
        await WithAsync<OutletRegistry>(r => r.CloseAsync(toId));

        await WithAsync<InventoryService>(async s =>
            (await Should.ThrowAsync<ValidationFailedException>(() => s.TransferAsync(new TransferGoods(from, to, [new TransferLine(product.Sku, 2)]), "tests")))
                .Errors.Keys.ShouldBe(["toOutletCode"]));

        await WithAsync<OutletRegistry>(r => r.CloseAsync(fromId));
        await WithAsync<OutletRegistry>(r => r.ReopenAsync(toId));
        await WithAsync<InventoryService>(s => s.TransferAsync(new TransferGoods(from, to, [new TransferLine(product.Sku, 2)]), "tests"));
        await using var scope = app.CreateDbScope(out var db);
        (await db.Batches.Where(b => b.OutletId == toId).SumAsync(b => b.OnHand)).ShouldBe(2);
    }
}
