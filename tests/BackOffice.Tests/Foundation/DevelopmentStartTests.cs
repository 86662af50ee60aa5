using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Foundation;

/// <summary>What Development start-up does without the demo catalog: roles, the dev admin, an empty dashboard.</summary>
public sealed class DevelopmentStartTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    [Fact]
    public async Task Roles_exist_after_start()
    {
        using var scope = app.Services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            (await roles.RoleExistsAsync(role)).ShouldBeTrue(role);
    }

    [Fact]
    public async Task The_dev_admin_from_the_shared_settings_is_created_and_can_sign_in()
    {
        // The top-level appsettings.Development.json is loaded by the app itself.
        var email = app.Setting("Seed:AdminEmail");
        var password = app.Setting("Seed:AdminPassword");
        email.ShouldNotBeNullOrEmpty();
        password.ShouldNotBeNullOrEmpty();

        using var client = app.CreateBrowserClient();
        var response = await BackOfficeAppFactory.SignInAsync(client, email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task Without_demo_data_there_are_no_outlets_and_the_dashboard_says_so()
    {
        await using (var scope = app.CreateDbScope(out var db))
        {
            db.Database.GetConnectionString()!.ShouldContain(app.DatabaseName);
            (await db.Outlets.CountAsync()).ShouldBe(0);
            (await db.Products.CountAsync()).ShouldBe(0);
            (await db.ApiKeys.CountAsync()).ShouldBe(1, "the integration key is seeded even without demo data");
        }

        using var client = await app.AdminClientAsync();
        var html = await client.GetStringAsync("/");
        html.ShouldContain("data-testid=\"dashboard-empty\"");
    }

    [Fact]
    public async Task Unknown_page_is_404()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.GetAsync("/no-such-page");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
