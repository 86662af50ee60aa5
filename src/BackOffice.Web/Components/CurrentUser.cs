using Microsoft.AspNetCore.Components.Authorization;

namespace BackOffice.Web.Components;

public static class CurrentUser
{
    /// <summary>The signed-in user's name, recorded on the movements a page writes.</summary>
    public static async Task<string?> NameAsync(this AuthenticationStateProvider auth) =>
        (await auth.GetAuthenticationStateAsync()).User.Identity?.Name;
}
