using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BackOffice.Web.Hosting;

public static class Policies
{
    /// <summary>Managers and admins: every back-office page and the jobs dashboard.</summary>
    public const string BackOffice = "BackOffice";
    /// <summary>Users, roles and API keys.</summary>
    public const string Admin = "Admin";
}

public static class IdentitySetup
{
    public static void AddBackOfficeIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                // No lockout: failed sign-ins are limited per address and account (SignInLimits), which an outsider
                // cannot turn against the account's owner.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BackOfficeDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/error/403";
            o.Cookie.Name = "backoffice.auth";
            // Secure on HTTPS requests, including those a known proxy forwards as HTTPS (ForwardedHeaders).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.Events.OnRedirectToLogin = ctx =>
            {
                // Browsers go to the login page; scripts and API clients get a plain 401.
                if (IsBrowserRequest(ctx.Request)) ctx.Response.Redirect(ctx.RedirectUri);
                else ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                // A signed-in user without the role gets 403; the status page explains (and sends cashiers to the till).
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.BackOffice, p => p.RequireRole(Roles.Admin, Roles.Manager))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        builder.Services.AddCascadingAuthenticationState();
        // Requests check the cookie's security stamp, and open pages their sign-in, every minute (not Identity's default
        // 30), so that disabling a user or changing their role takes effect within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = SignInRevalidation.Interval);
        builder.Services.AddScoped<AuthenticationStateProvider, SignInRevalidation>();
    }

    private static bool IsBrowserRequest(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api")
        && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
}
