using System.Net;
using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Tests.Support;
using BackOffice.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Jobs;

/// <summary>The app with its Hangfire server on (its own SQLite storage file beside the factory's database).</summary>
public sealed class BackOfficeAppWithJobServer : BackOfficeAppFactory
{
    protected override bool DemoData => false;
    protected override bool RunJobServer => true;
}

/// <summary>The jobs as Hangfire runs them: enqueued like the "run now" buttons do, picked up by the app's server, results kept.</summary>
public sealed class StockJobTests(BackOfficeAppWithJobServer app) : IClassFixture<BackOfficeAppWithJobServer>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    private async Task<JobStatus> RunAsync(Func<JobRuns, string> enqueue)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var jobs = scope.ServiceProvider.GetRequiredService<JobRuns>();
        var id = enqueue(jobs);
        var states = new List<string>();
        var final = await jobs.FollowAsync(id, s => { states.Add(s.State); return Task.CompletedTask; }, JobTimeout, CancellationToken.None);
        final.ShouldNotBeNull();
        final.Succeeded.ShouldBeTrue($"job {id} ended {final.State}: {final.Reason} (states seen: {string.Join(", ", states)})");
        return final;
    }

    [Fact]
    public async Task Expiry_marking_and_the_alerts_run_through_hangfire_and_keep_their_results()
    {
        using (app.CreateDbScope(out var db))
        {
            var now = DateTime.UtcNow;
            var outlet = new Outlet { Code = "JOB-1", Name = "Job shop", TimeZoneId = "Europe/Paris" };
            var product = new Product { Sku = "JOB-PARA", Name = "Paracetamol", Price = 2m, ReorderLevel = 10, CreatedAt = now, UpdatedAt = now };
            db.AddRange(outlet, product);
            await db.SaveChangesAsync();
            var expired = new Batch { Id = Guid.NewGuid(), OutletId = outlet.Id, ProductId = product.Id, LotNumber = "OLD", ExpiryDate = DateOnly.FromDateTime(now).AddDays(-5), QuantityReceived = 8, OnHand = 8, UnitCost = 1m, ReceivedAt = now.AddDays(-60) };
            var soon = new Batch { Id = Guid.NewGuid(), OutletId = outlet.Id, ProductId = product.Id, LotNumber = "SOON", ExpiryDate = DateOnly.FromDateTime(now).AddDays(5), QuantityReceived = 3, OnHand = 3, UnitCost = 1m, ReceivedAt = now.AddDays(-60) };
            db.Batches.AddRange(expired, soon);
            db.Movements.AddRange(StockMovement.For(expired, MovementKind.Receipt, 8, expired.ReceivedAt, "test"), StockMovement.For(soon, MovementKind.Receipt, 3, soon.ReceivedAt, "test"));
            await db.SaveChangesAsync();
        }

        var expiry = (await RunAsync(j => j.EnqueueExpiryMarking())).ResultAs<ExpiryRun>();
        expiry.ShouldBe(new ExpiryRun(1, 8, 1));
        (await RunAsync(j => j.EnqueueExpiryMarking())).ResultAs<ExpiryRun>().ShouldBe(new ExpiryRun(0, 0, 0), "a rerun writes nothing");

        var low = (await RunAsync(j => j.EnqueueLowStockCheck())).ResultAs<AlertRun>()!;
        low.Kind.ShouldBe(NotificationKind.LowStock);
        low.Added.ShouldBe(1);
        var near = (await RunAsync(j => j.EnqueueNearExpiryCheck())).ResultAs<AlertRun>()!;
        near.ShouldBe(new AlertRun(NotificationKind.NearExpiry, 1, 1, 1, 0));

        using (app.CreateDbScope(out var db))
        {
            (await db.Movements.CountAsync(m => m.Kind == MovementKind.Expiry)).ShouldBe(1);
            (await db.Notifications.CountAsync()).ShouldBe(3, "expired, low stock, near expiry");
            (await db.Batches.Where(b => b.LotNumber == "OLD").Select(b => b.OnHand).SingleAsync()).ShouldBe(8, "on hand until disposed of");
        }

        // The managers' page lists them, and the bell counts them.
        using var manager = await app.ManagerClientAsync();
        var page = await manager.GetAsync("/notifications");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("1 product at or below reorder level");
        html.ShouldContain("1 batch expiring within 30 days");
        html.ShouldContain("1 expired batch to take off the shelf");
        html.ShouldContain("Mark expired stock now");
        html.ShouldContain("Check stock levels now");
    }

    [Fact]
    public void The_recurring_jobs_are_scheduled_with_the_configured_cron()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);
        recurring.Select(r => (r.Id, r.Cron)).OrderBy(r => r.Id).ShouldBe(
        [
            (StockJobs.ExpiryJobId, "5 * * * *"),
            (StockJobs.LowStockJobId, "20 5 * * *"),
            (StockJobs.NearExpiryJobId, "15 5 * * *"),
        ]);
    }

    [Fact]
    public async Task Notifications_page_is_for_the_back_office_only()
    {
        using var cashier = await app.CashierClientAsync();
        (await cashier.GetAsync("/notifications")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var anonymous = app.CreateBrowserClient();
        (await anonymous.GetAsync("/notifications")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
