using BackOffice.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace BackOffice.Web.Account;

/// <summary>Signing in and out: the login form posts here (static SSR), and the sign-out button of the app bar.</summary>
public static class AccountFeature
{
    public static void MapAccount(this WebApplication app)
    {
        var account = app.MapGroup("/account").AllowAnonymous();

        account.MapPost("/login", async (HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
            [Microsoft.AspNetCore.Mvc.FromForm] LoginForm form) =>
        {
            var returnUrl = IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/";
            string Back(string error) =>
                $"/account/login?error={error}&email={Uri.EscapeDataString(form.Email ?? "")}&returnUrl={Uri.EscapeDataString(returnUrl)}";

            if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
                return Results.Redirect(Back("missing"));
            var user = await users.FindByEmailAsync(form.Email.Trim());
            if (user is null) return Results.Redirect(Back("invalid"));
            // Say "disabled" only to someone who knows the password, so the form does not reveal which accounts exist.
            if (user.Disabled)
                return Results.Redirect(Back(await users.CheckPasswordAsync(user, form.Password) ? "disabled" : "invalid"));
            var result = await signIn.PasswordSignInAsync(user, form.Password, form.RememberMe, lockoutOnFailure: true);
            if (result.IsLockedOut) return Results.Redirect(Back("locked"));
            if (!result.Succeeded) return Results.Redirect(Back("invalid"));

            var roles = await users.GetRolesAsync(user);
            if (!roles.Contains(Roles.Admin) && !roles.Contains(Roles.Manager))
                return Results.Redirect("/account/cashier");
            return Results.LocalRedirect(returnUrl);
        });

        account.MapPost("/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });
    }

    /// <summary>The framework's rule for local URLs (as IUrlHelper.IsLocalUrl): no "//", "/\", scheme or control characters.</summary>
    public static bool IsLocalUrl([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? url) => RedirectHttpResult.IsLocalUrl(url);

    public sealed class LoginForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public bool RememberMe { get; set; }
        public string? ReturnUrl { get; set; }
    }
}
