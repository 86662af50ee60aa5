using BackOffice.Tests.Support;
using BackOffice.Web.Account;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Account;

/// <summary>The static sign-in page: a plain form posting to /account/login, with the query's error and email.</summary>
public sealed class LoginPageTests : ComponentTest
{
    public LoginPageTests() => Services.AddFakeAntiforgery();

    [Fact]
    public void Renders_the_form_with_the_antiforgery_token()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account/login?returnUrl=%2Fsomewhere");
        var page = Render<Login>();

        var form = page.Find("form[data-testid=login-form]");
        form.GetAttribute("method").ShouldBe("post");
        form.GetAttribute("action").ShouldBe("/account/login");
        form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value").ShouldBe(FakeAntiforgery.Token);
        form.QuerySelector("input[name=Email]")!.GetAttribute("type").ShouldBe("email");
        form.QuerySelector("input[name=Password]")!.GetAttribute("type").ShouldBe("password");
        form.QuerySelector("input[name=ReturnUrl]")!.GetAttribute("value").ShouldBe("/somewhere");
        page.Find("[data-testid=login-submit]").TextContent.ShouldContain("Sign in");
        page.FindAll("[data-testid=login-error]").ShouldBeEmpty();
    }

    [Fact]
    public void Shows_the_error_of_a_failed_sign_in_and_keeps_the_email()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account/login?error=invalid&email=ann%40pharmacy.test&returnUrl=%2F");
        var page = Render<Login>();

        page.Find("[data-testid=login-error]").TextContent.ShouldContain("Email or password is not right.");
        page.Find("input[name=Email]").GetAttribute("value").ShouldBe("ann@pharmacy.test");
    }

    [Theory]
    [InlineData("missing", "Enter your email and password.")]
    [InlineData("disabled", "disabled")]
    public void Explains_each_kind_of_failure(string error, string expected)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/account/login?error={error}");
        var page = Render<Login>();
        page.Find("[data-testid=login-error]").TextContent.ShouldContain(expected);
    }
}
