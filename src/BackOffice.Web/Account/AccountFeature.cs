using BackOffice.Core.Identity;
using BackOffice.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BackOffice.Web.Account;

/// <summary>Signing in and out: the login form posts here (static SSR), and the sign-out button of the app bar.</summary>
public static class AccountFeature
{
    public static void AddAccount(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SignInLimits>();
        builder.Services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o =>
            o.AddPolicy<string, SignInAddressPolicy>(SignInLimits.AddressPolicy));
    }

    public static void MapAccount(this WebApplication app)
    {
        var account = app.MapGroup("/account").AllowAnonymous();

        account.MapPost("/login", async (HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
            IPasswordHasher<AppUser> hasher, SignInLimits limits, [FromForm] LoginForm form) =>
        {
            var returnUrl = IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/";
            string Back(string error) =>
                $"/account/login?error={error}&email={Uri.EscapeDataString(form.Email ?? "")}&returnUrl={Uri.EscapeDataString(returnUrl)}";

            if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password))
                return Results.Redirect(Back("missing"));
            var email = form.Email.Trim();
            var attempt = new SignInLimits.Attempt(users.NormalizeEmail(email), http.ClientAddress());
            if (limits.Refusal(attempt) is { } wait) return SignInLimits.Refused(wait);

            // Every attempt costs one password hash, for unknown and disabled accounts too, so that neither the answer
            // nor its time tells which accounts exist.
            var user = await users.FindByEmailAsync(email);
            var passwordRight = user is null
                ? VerifyDummy(hasher, form.Password)
                : await users.CheckPasswordAsync(user, form.Password);
            if (!passwordRight)
            {
                limits.CountFailure(attempt);
                return Results.Redirect(Back("invalid"));
            }
            // Say "disabled" only to someone who knows the password, so the form does not reveal which accounts exist.
            if (user!.Disabled) return Results.Redirect(Back("disabled"));

            await signIn.SignInAsync(user, form.RememberMe);
            var roles = await users.GetRolesAsync(user);
            if (!roles.Contains(Roles.Admin) && !roles.Contains(Roles.Manager))
                return Results.Redirect("/account/cashier");
            return Results.LocalRedirect(returnUrl);
        })
        .RequireRateLimiting(SignInLimits.AddressPolicy);

        account.MapPost("/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });
    }

    private static readonly AppUser DummyUser = new() { UserName = "dummy" };
    private static string? _dummyHash;

    /// <summary>Hashes the password against a hash nobody's password matches, at the cost of a real check.</summary>
    private static bool VerifyDummy(IPasswordHasher<AppUser> hasher, string password)
    {
        var hash = _dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(DummyUser, hash, password);
        return false;
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
