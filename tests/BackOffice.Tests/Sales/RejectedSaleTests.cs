using System.Data.Common;
using System.Net;
using BackOffice.Core.Data;
using BackOffice.Core.Sales;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Sales;

/// <summary>Fails the write of one chosen sale half-way (after its reads, at its single write command), as a fault of the server would.</summary>
public sealed class SaleWriteFault : DbCommandInterceptor
{
    public volatile string? PoisonedSaleId;

    private void Check(DbCommand command)
    {
        if (PoisonedSaleId is { } id && command.CommandText.Contains("INSERT INTO \"Sales\"")
            && command.Parameters.Cast<DbParameter>().Any(p => string.Equals(p.Value?.ToString(), id, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException("Injected fault: the disk went away.");
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }
}

public sealed class BackOfficeAppWithFaults : BackOfficeAppFactory
{
    public SaleWriteFault Fault { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.ConfigureDbContext<BackOfficeDb>(o => o.AddInterceptors(Fault)));
    }
}

/// <summary>
/// Invariant 8 on the server: a sale the server cannot record — bad input, a conflict, a fault half-way — is that item's
/// <c>rejected</c>, held with the till's payload for managers, and settled once: recorded after a fix or written off.
/// </summary>
public sealed class RejectedSaleTests(BackOfficeAppWithFaults app) : IClassFixture<BackOfficeAppWithFaults>
{
    [Fact]
    public async Task A_fault_half_way_through_one_sale_of_a_sync_rejects_and_holds_it_alone_and_a_manager_records_it_after_the_fix()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 30));
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var sales = ids.Select(id => Api.Sale(id, product.Sku, 2, 3.10m)).ToList();
        var before = await app.LedgerAsync();
        app.Fault.PoisonedSaleId = ids[1].ToString();
        using var till = app.TillClient();

        var response = await till.PostJsonAsync("/api/till/sales/sync", new { sales });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var results = (await response.JsonAsync())["results"]!.AsArray();
        results.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["recorded", "rejected", "recorded"]);
        var rejected = results[1]!;
        rejected["held"]!.GetValue<bool>().ShouldBeTrue();
        rejected["error"]!["status"]!.GetValue<int>().ShouldBe(500);
        rejected["error"]!["title"]!.GetValue<string>().ShouldBe("The server could not record this sale.");
        rejected["error"]!.ToJsonString().ShouldNotContain("disk", Case.Insensitive, "a fault's message is logged, not shown to the till");
        var after = await app.LedgerAsync();
        (after.Sales - before.Sales).ShouldBe(2);
        (before.OnHand - after.OnHand).ShouldBe(4, "the faulted sale took nothing");
        await app.AssertLedgerHoldsAsync();

        // Sent again (the till did not hear the answer): held once, the others duplicates.
        var again = (await (await till.PostJsonAsync("/api/till/sales/sync", new { sales })).JsonAsync())["results"]!.AsArray();
        again.Select(r => r!["status"]!.GetValue<string>()).ShouldBe(["duplicate", "rejected", "duplicate"]);
        await using (var scope = app.CreateDbScope(out var db))
        {
            var held = await db.RejectedSales.AsNoTracking().Where(r => r.SaleId == ids[1]).ToListAsync();
            held.ShouldHaveSingleItem().Source.ShouldBe("sync");
            held[0].ProblemStatus.ShouldBe(500);
            held[0].Payload.ShouldContain(product.Sku);
            (await RejectedSales.OpenCountAsync(db)).ShouldBeGreaterThanOrEqualTo(1);
        }

        // The fault is mended; the manager records the held sale as the till sent it: once, by its saleId.
        app.Fault.PoisonedSaleId = null;
        await using (var scope = app.CreateDbScope(out var db))
        {
            var queue = scope.ServiceProvider.GetRequiredService<RejectedSales>();
            var held = await db.RejectedSales.AsNoTracking().SingleAsync(r => r.SaleId == ids[1]);
            var draft = BackOffice.Web.Sales.HeldSalePayload.Read(held.Payload).ShouldNotBeNull();
            var sale = await queue.RecordAsync(held.Id, draft.ToRequest(held.SaleId), "manager@tests.local", "disk replaced");
            sale.Lines.ShouldHaveSingleItem().Allocated.ShouldBe(2);
            (await queue.FindAsync(held.Id))!.State.ShouldBe(RejectedSaleState.Recorded);
            await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() =>
                queue.RecordAsync(held.Id, draft.ToRequest(held.SaleId), "manager@tests.local", null));
            await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() =>
                queue.WriteOffAsync(held.Id, "second settlement", "manager@tests.local"));
        }
        (await app.LedgerAsync()).Sales.ShouldBe(after.Sales + 1);
        await app.AssertLedgerHoldsAsync();

        // The till, had it kept the sale, would now hear it is recorded: a duplicate, not a second sale.
        var third = (await (await till.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { sales[1] } })).JsonAsync())["results"]!.AsArray();
        third[0]!["status"]!.GetValue<string>().ShouldBe("duplicate");
    }

    [Fact]
    public async Task An_invalid_sale_is_held_by_sync_and_direct_routes_with_its_reason_and_a_written_off_one_is_settled_once()
    {
        var product = await app.AddStockedProductAsync(Api.DemoOutlet, ("B1", (await app.TodayAtAsync(Api.DemoOutlet)).AddDays(90), 30));
        using var till = app.TillClient();
        var inactive = Guid.NewGuid();
        await using (var scope = app.CreateDbScope(out var db))
            await db.Products.Where(p => p.Id == product.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, false));

        var sync = (await (await till.PostJsonAsync("/api/till/sales/sync", new { sales = new[] { Api.Sale(inactive, product.Sku) } })).JsonAsync())["results"]![0]!;
        sync["status"]!.GetValue<string>().ShouldBe("rejected");
        sync["held"]!.GetValue<bool>().ShouldBeTrue();

        var direct = Guid.NewGuid();
        var answer = await till.PostJsonAsync("/api/till/sales", Api.Sale(direct, product.Sku, 1, 1.005m));
        var problem = await answer.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["held"]!.GetValue<bool>().ShouldBeTrue();
        problem.ErrorFields().ShouldContain("lines[0].unitPrice");

        // A sale without a usable id cannot be keyed: rejected, not held (the till keeps it).
        var unkeyed = (await (await till.PostJsonAsync("/api/till/sales/sync", new { sales = new object[] { new { saleId = "nope", lines = Array.Empty<object>() }, 42 } })).JsonAsync())["results"]!.AsArray();
        unkeyed.Select(r => r!["held"]!.GetValue<bool>()).ShouldBe([false, false]);

        await using (var scope = app.CreateDbScope(out var db))
        {
            var queue = scope.ServiceProvider.GetRequiredService<RejectedSales>();
            var (open, _) = await queue.ListAsync(open: true, 0, 200);
            var heldInactive = open.Single(r => r.SaleId == inactive);
            heldInactive.Reason.ShouldBe("The sale is not valid.");
            heldInactive.Errors!.ShouldContain("inactive");
            heldInactive.TillName.ShouldNotBeNull();
            var heldDirect = open.Single(r => r.SaleId == direct);
            heldDirect.Source.ShouldBe("direct");

            // Recording while the product is still inactive fails and leaves it open.
            var draft = BackOffice.Web.Sales.HeldSalePayload.Read(heldInactive.Payload)!;
            await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() =>
                queue.RecordAsync(heldInactive.Id, draft.ToRequest(inactive), "manager@tests.local", null));
            (await queue.FindAsync(heldInactive.Id))!.State.ShouldBe(RejectedSaleState.Open);

            await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() => queue.WriteOffAsync(heldInactive.Id, " ", "m"));
            await queue.WriteOffAsync(heldInactive.Id, "sold from the withdrawn stock by mistake", "manager@tests.local");
            var settled = (await queue.FindAsync(heldInactive.Id))!;
            settled.State.ShouldBe(RejectedSaleState.WrittenOff);
            settled.SettledBy.ShouldBe("manager@tests.local");
            await Should.ThrowAsync<BackOffice.Core.ValidationFailedException>(() => queue.WriteOffAsync(heldInactive.Id, "again", "m"));

            // The price is corrected by the manager: recorded with the corrected line under the till's saleId.
            var priced = BackOffice.Web.Sales.HeldSalePayload.Read(heldDirect.Payload)!;
            await db.Products.Where(p => p.Id == product.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, true));
            priced.Lines[0].UnitPrice = 1.01m;
            priced.KeepPayments = false;
            await queue.RecordAsync(heldDirect.Id, priced.ToRequest(direct), "manager@tests.local", "price typed with 3 decimals");
            (await db.SaleLines.AsNoTracking().SingleAsync(l => l.SaleId == direct)).UnitPrice.ShouldBe(1.01m);
        }
        await app.AssertLedgerHoldsAsync();
    }
}
