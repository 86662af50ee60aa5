using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using BackOffice.Web.Admin;
using BackOffice.Web.Hosting;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Admin;

public sealed class AdminPagesTests : PageTest
{
    protected override string[] Roles => ["Admin"];

    protected override async Task ArrangeAsync()
    {
        Services.AddDbContext<BackOfficeDb>(o => Db.Configure(o));
        Services.AddLogging();
        Services.AddIdentityCore<AppUser>(o => { o.User.RequireUniqueEmail = true; o.Password.RequiredLength = 10; })
            .AddRoles<IdentityRole>().AddEntityFrameworkStores<BackOfficeDb>();
        await using var db = Db.Open();
        foreach (var role in Core.Identity.Roles.All)
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Creating_a_user_reports_a_weak_password_on_its_field_then_creates_with_the_role_and_disabling_asks_first()
    {
        var dialogs = RenderProviders();
        var page = Render<UsersPage>();
        page.WaitForElement("[data-testid=user-create]", Wait);

        await page.ChangeOnAsync("[data-testid=user-email]", "new.manager@pharmacy.test");
        await page.ChangeOnAsync("[data-testid=user-password]", "short");
        await page.ClickOnAsync("[data-testid=user-create]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("Passwords must be at least 10 characters."), Wait);

        await page.ChangeOnAsync("[data-testid=user-password]", "Long-enough-password-1");
        await page.ClickOnAsync("[data-testid=user-create]");
        page.WaitForAssertion(() => page.Find("[data-testid=users] tbody").TextContent.ShouldContain("new.manager@pharmacy.test"), Wait);
        page.Find("[data-testid=users] tbody").TextContent.ShouldContain("Manager");

        await page.ClickOnAsync("[data-testid=user-disable]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Disable new.manager@pharmacy.test?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Disable").Click();
        page.WaitForElement("[data-testid=user-disabled]", Wait);

        await using var db = Db.Open();
        var user = await db.Users.SingleAsync(u => u.Email == "new.manager@pharmacy.test");
        user.Disabled.ShouldBeTrue();
        (await db.UserRoles.CountAsync(ur => ur.UserId == user.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Changing_a_users_role_replaces_it_and_ends_their_signed_in_pages_but_not_ones_own()
    {
        string stampBefore;
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var cashier = new AppUser { UserName = "till.one@pharmacy.test", Email = "till.one@pharmacy.test", EmailConfirmed = true };
            (await users.CreateAsync(cashier, "Long-enough-password-1")).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(cashier, Core.Identity.Roles.Cashier)).Succeeded.ShouldBeTrue();
            var me = new AppUser { UserName = UserName, Email = UserName, EmailConfirmed = true };
            (await users.CreateAsync(me, "Long-enough-password-1")).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(me, Core.Identity.Roles.Admin)).Succeeded.ShouldBeTrue();
            stampBefore = (await users.GetSecurityStampAsync(cashier))!;
        }
        RenderProviders();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => page.FindAll("[data-testid=user-role-change]").Count.ShouldBe(1), Wait);

        // The last select is the one row whose role can be changed (the first is the create form's).
        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<string>>().Last()
            .Instance.SelectOption(Core.Identity.Roles.Manager));

        Snackbars.WaitForAssertion(() => Snackbars.Markup.ShouldContain("till.one@pharmacy.test is now Manager."), Wait);
        await using var db = Db.Open();
        var user = await db.Users.SingleAsync(u => u.Email == "till.one@pharmacy.test");
        (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync())
            .ShouldBe([Core.Identity.Roles.Manager]);
        user.SecurityStamp.ShouldNotBe(stampBefore, "their cookies and open pages must pick up the new role");
    }

    [Fact]
    public async Task A_sign_in_stops_standing_when_the_user_is_disabled_or_their_stamp_changes()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var claims = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var options = new IdentityOptions();
        var user = new AppUser { UserName = "clerk@pharmacy.test", Email = "clerk@pharmacy.test", EmailConfirmed = true };
        (await users.CreateAsync(user, "Long-enough-password-1")).Succeeded.ShouldBeTrue();

        var signedIn = await claims.CreateAsync(user);
        (await SignInRevalidation.StillStandsAsync(users, signedIn, options)).ShouldBeTrue();

        await users.UpdateSecurityStampAsync(user);
        (await SignInRevalidation.StillStandsAsync(users, signedIn, options)).ShouldBeFalse("a renewed stamp ends older sign-ins");

        var again = await claims.CreateAsync(user);
        user.Disabled = true;
        await users.UpdateAsync(user);
        (await SignInRevalidation.StillStandsAsync(users, again, options)).ShouldBeFalse("a disabled user's pages lose their user");
    }

    [Fact]
    public async Task An_api_key_is_shown_once_stored_hashed_and_revoked_after_confirmation()
    {
        var dialogs = RenderProviders();
        var page = Render<ApiKeysPage>();
        page.WaitForElement("[data-testid=keys-empty]", Wait);

        await page.ClickOnAsync("[data-testid=key-create]");
        page.WaitForAssertion(() => page.Markup.ShouldContain("Name the key after what uses it"), Wait);
        await page.ChangeOnAsync("[data-testid=key-name]", "ERP feed");
        await page.ClickOnAsync("[data-testid=key-create]");
        page.WaitForAssertion(() => page.Find("[data-testid=key-scopes-error]").TextContent.ShouldContain("Choose what the key may do."), Wait);
        await using (var db = Db.Open()) (await db.ApiKeys.CountAsync()).ShouldBe(0, "a key that may do nothing is not made");

        void Tick(string scope)
        {
            var box = page.Find($"[data-testid=key-scope-{scope}]");
            (box.TagName == "INPUT" ? box : box.QuerySelector("input")!).Change(true);
        }
        Tick("receipts");
        Tick("stock");
        await page.ClickOnAsync("[data-testid=key-create]");
        var secret = page.WaitForElement("[data-testid=secret-value]", Wait).TextContent.Trim();
        secret.ShouldStartWith("key_");
        await using (var db = Db.Open())
        {
            var key = await db.ApiKeys.Include(k => k.Outlets).SingleAsync();
            key.KeyHash.ShouldBe(Secrets.Hash(secret));
            key.CreatedBy.ShouldBe(UserName);
            key.Scopes.ShouldBe(ApiKeyScopes.Receipts | ApiKeyScopes.Stock);
            key.Outlets.ShouldBeEmpty("no outlet chosen: every outlet");
        }
        page.Find("[data-testid=key-row-scopes]").TextContent.ShouldBe("receipts, stock");
        page.Find("[data-testid=key-row-outlets]").TextContent.ShouldBe("every outlet");

        await page.ClickOnAsync("[data-testid=key-revoke]");
        dialogs.WaitForAssertion(() => dialogs.Markup.ShouldContain("Revoke the key of ERP feed?"), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForElement("[data-testid=key-revoked]", Wait);
        await using var check = Db.Open();
        (await check.ApiKeys.SingleAsync()).RevokedAt.ShouldNotBeNull();
    }
}
