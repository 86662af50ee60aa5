using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackOffice.Tests.Support;

/// <summary>Gives &lt;AntiforgeryToken /&gt; a token to render, as the server's provider does during static rendering.</summary>
public sealed class FakeAntiforgery : AntiforgeryStateProvider
{
    public const string Token = "test-antiforgery-token";
    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, "__RequestVerificationToken");
}

public static class FakeAntiforgeryExtensions
{
    public static IServiceCollection AddFakeAntiforgery(this IServiceCollection services)
    {
        services.RemoveAll<AntiforgeryStateProvider>();
        return services.AddSingleton<AntiforgeryStateProvider, FakeAntiforgery>();
    }
}
