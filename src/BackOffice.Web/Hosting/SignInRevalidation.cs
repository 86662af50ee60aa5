using System.Security.Claims;
using BackOffice.Core.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Hosting;

/// <summary>
/// A back-office page is a circuit that can stay open all day, holding the user it was opened with. Every minute it asks
/// again whether that sign-in still stands: the user exists, is not disabled, and has the security stamp the sign-in
/// was issued with (disabling a user or changing their role renews the stamp). If not, the page loses its user and
/// the router sends the browser to sign in, as a new request would.
/// </summary>
internal sealed class SignInRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await StillStandsAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), state.User, identity.Value);
    }

    /// <summary>Whether a signed-in principal still stands for its user (the one rule, for circuits and for the tests).</summary>
    public static async Task<bool> StillStandsAsync(UserManager<AppUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || user.Disabled) return false;
        return principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
