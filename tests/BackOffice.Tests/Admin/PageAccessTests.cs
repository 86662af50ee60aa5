using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;

namespace BackOffice.Tests.Admin;

/// <summary>Who may open the new pages: managers the back-office ones, admins only the admin ones, cashiers none.</summary>
public sealed class PageAccessTests(PageAccessTests.App app) : IClassFixture<PageAccessTests.App>
{
    public sealed class App : BackOfficeAppFactory
    {
        protected override bool DemoData => false;
    }

    public static TheoryData<string> BackOfficePages =>
        ["/catalog/products", "/inventory/receive", "/inventory/opening-stock", "/inventory/transfers", "/inventory/adjustments", "/inventory/discrepancies", "/stock-takes", "/tills"];

    [Theory]
    [MemberData(nameof(BackOfficePages))]
    public async Task A_manager_opens_back_office_pages_and_a_cashier_gets_403(string path)
    {
        var manager = await app.SignedInClientAsync(Roles.Manager);
        (await manager.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var cashier = await app.SignedInClientAsync(Roles.Cashier);
        (await cashier.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/api-keys")]
    public async Task Only_an_admin_opens_admin_pages(string path)
    {
        var admin = await app.SignedInClientAsync(Roles.Admin);
        (await admin.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var manager = await app.SignedInClientAsync(Roles.Manager);
        (await manager.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
