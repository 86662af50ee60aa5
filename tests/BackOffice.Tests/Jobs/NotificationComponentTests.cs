using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Tests.Support;
using BackOffice.Web.Hosting;
using BackOffice.Web.Inventory;
using BackOffice.Web.Jobs;
using BackOffice.Web.Layout;
using Bunit;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BackOffice.Tests.Jobs;

/// <summary>The bell and the notifications page against a real database on the run's provider.</summary>
public sealed class NotificationComponentTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private ShopDatabase _db = null!;
    private string? _jobsFile;

    public override async Task InitializeAsync()
    {
        _db = new ShopDatabase();
        if (ShopDatabase.Provider == DatabaseProvider.Sqlite) _jobsFile = Path.ChangeExtension(_db.Path, ".hangfire.db");
        Services.AddSingleton<IDbContextFactory<BackOfficeDb>>(new Contexts(_db));
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
        Services.AddScoped<NotificationCounter>();
        var storage = BackOffice.Web.Jobs.JobsFeature.CreateStorage(new DatabaseConnection(ShopDatabase.Provider, _db.ConnectionString));
        Services.AddSingleton(storage);
        Services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(storage));
        Services.AddScoped<JobRuns>();
        var auth = AddAuthorization();
        auth.SetAuthorized("manager@pharmacy.test");
        auth.SetRoles("Manager");
        auth.SetPolicies(Policies.BackOffice);

        await using var db = _db.Open();
        var outlet = new Outlet { Code = "LDN-01", Name = "Camden", TimeZoneId = "Europe/London" };
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        var day = new DateOnly(2026, 11, 24);
        db.Notifications.AddRange(
            new Notification { OutletId = outlet.Id, Kind = NotificationKind.LowStock, Day = day, Title = "4 products at or below reorder level", Body = "b1", Count = 4, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime },
            new Notification { OutletId = outlet.Id, Kind = NotificationKind.NearExpiry, Day = day, Title = "2 batches expiring within 30 days", Body = "b2", Count = 2, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime },
            new Notification { OutletId = outlet.Id, Kind = NotificationKind.LowStock, Day = day.AddDays(-1), Title = "old", Body = "b3", Count = 1, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime, ReadAt = Now.UtcDateTime });
        await db.SaveChangesAsync();
    }

    protected override Task DisposeTestAsync()
    {
        _db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_jobsFile is not null)
            try { File.Delete(_jobsFile); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public void Bell_shows_the_unread_count_and_links_to_the_list()
    {
        var bell = Render<NotificationBell>();
        bell.WaitForAssertion(() => bell.Find(".mud-badge").TextContent.Trim().ShouldBe("2"));
        bell.Find("[data-testid=notification-bell]").GetAttribute("href").ShouldBe("/notifications");
    }

    [Fact]
    public async Task Page_lists_newest_first_and_marking_read_updates_the_bell()
    {
        Render<MudPopoverProvider>();
        var bell = Render<NotificationBell>();
        var page = Render<NotificationsPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=notification-title]").Count.ShouldBe(3));
        page.FindAll("[data-testid=notification-title]").Select(t => t.TextContent.Trim())
            .ShouldBe(["4 products at or below reorder level", "2 batches expiring within 30 days", "old"], ignoreOrder: false);
        page.FindAll("[data-testid=mark-read]").Count.ShouldBe(2);

        await page.InvokeAsync(() => page.FindAll("[data-testid=mark-read]")[0].Click());

        page.WaitForAssertion(() => page.FindAll("[data-testid=mark-read]").Count.ShouldBe(1));
        bell.WaitForAssertion(() => bell.Find(".mud-badge").TextContent.Trim().ShouldBe("1"));
        await using var db = _db.Open();
        (await db.Notifications.CountAsync(n => n.ReadAt == null)).ShouldBe(1);
    }

    [Fact]
    public void Run_now_buttons_are_there_for_the_three_jobs()
    {
        var page = Render<NotificationsPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=run-expiry]").TextContent.ShouldContain("Mark expired stock now"));
        page.Find("[data-testid=run-low-stock]").TextContent.ShouldContain("Check stock levels now");
        page.Find("[data-testid=run-near-expiry]").TextContent.ShouldContain("Check near expiry now");
    }

    private sealed class Contexts(ShopDatabase db) : IDbContextFactory<BackOfficeDb>
    {
        public BackOfficeDb CreateDbContext() => db.Open();
    }
}
