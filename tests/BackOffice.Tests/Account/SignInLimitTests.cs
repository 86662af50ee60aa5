using System.Net;
using BackOffice.Core.Identity;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Account;

/// <summary>
/// The app with small sign-in limits (8 posts a minute per address, 3 failures per account and address, 6 per account),
/// and requests from the addresses each test names. The windows outlast a test run: every test uses addresses and
/// accounts of its own.
/// </summary>
public sealed class SignInLimitedApp : BackOfficeAppFactory
{
    public const int PerAddress = 8;
    public const int PerAccountAndAddress = 3;
    public const int PerAccount = 6;

    protected override bool DemoData => false;

    /// <summary>Counts the password checks, to see which attempts cost one.</summary>
    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:SignInPerAddress:PermitLimit", PerAddress.ToString());
        builder.UseSetting("RateLimits:SignInPerAddress:WindowSeconds", "60");
        builder.UseSetting("RateLimits:SignInPerAccountAndAddress:PermitLimit", PerAccountAndAddress.ToString());
        builder.UseSetting("RateLimits:SignInPerAccount:PermitLimit", PerAccount.ToString());
        builder.UseTestPeerAddresses();
        builder.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<AppUser>>(Hasher));
    }

    public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _checks);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

public sealed class SignInLimitTests(SignInLimitedApp app) : IClassFixture<SignInLimitedApp>
{
    private const string Wrong = "not-the-password";

    [Fact]
    public async Task Sign_ins_from_one_address_over_the_limit_get_429_with_Retry_After_before_any_password_is_checked()
    {
        const string address = "198.51.100.10";
        for (var i = 0; i < SignInLimitedApp.PerAddress; i++)
            (await PostAsync(address, $"nobody{i}@limits.test", Wrong)).ShouldBeInvalid();

        var email = await UserAsync("address-limit@limits.test");
        var checks = app.Hasher.Checks;
        var refused = await PostAsync(address, email, BackOfficeAppFactory.TestPassword);

        await refused.ShouldBeRefusedAsync();
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        app.Hasher.Checks.ShouldBe(checks, "a refused post checks no password");
        (await PostAsync("198.51.100.11", email, BackOfficeAppFactory.TestPassword)).ShouldBeSignedIn();
    }

    [Fact]
    public async Task Clients_of_one_IPv6_64_share_its_limit()
    {
        for (var i = 0; i < SignInLimitedApp.PerAddress; i++)
            (await PostAsync($"2001:db8:64:1::{i + 1:x}", $"v6-{i}@limits.test", Wrong)).ShouldBeInvalid();

        await (await PostAsync("2001:db8:64:1:ffff:ffff:ffff:ffff", "v6-last@limits.test", Wrong)).ShouldBeRefusedAsync();
        (await PostAsync("2001:db8:64:2::1", "v6-last@limits.test", Wrong)).ShouldBeInvalid();
    }

    [Fact]
    public async Task Failures_of_one_account_at_one_address_are_limited_and_other_accounts_there_still_sign_in()
    {
        const string address = "198.51.100.20";
        var email = await UserAsync("guessed@limits.test");
        for (var i = 0; i < SignInLimitedApp.PerAccountAndAddress; i++)
            (await PostAsync(address, email, Wrong)).ShouldBeInvalid();

        var checks = app.Hasher.Checks;
        await (await PostAsync(address, email, BackOfficeAppFactory.TestPassword)).ShouldBeRefusedAsync();
        app.Hasher.Checks.ShouldBe(checks, "not even the right password is checked over the limit");
        (await PostAsync(address, await UserAsync("colleague@limits.test"), BackOfficeAppFactory.TestPassword)).ShouldBeSignedIn();
    }

    [Fact]
    public async Task An_outsider_cannot_keep_the_admin_out()
    {
        var admin = await UserAsync("admin@limits.test", Roles.Admin);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * SignInLimitedApp.PerAddress; i++)
            answers.Add((await PostAsync("203.0.113.66", admin, Wrong)).StatusCode);
        answers.Count(s => s == HttpStatusCode.Redirect).ShouldBe(SignInLimitedApp.PerAccountAndAddress);
        answers.Skip(SignInLimitedApp.PerAccountAndAddress).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);

        using var client = app.CreateBrowserClient().From("192.0.2.10");
        (await BackOfficeAppFactory.SignInAsync(client, admin, BackOfficeAppFactory.TestPassword)).ShouldBeSignedIn();
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Failures_of_one_account_from_many_addresses_together_are_limited()
    {
        var email = await UserAsync("spread@limits.test");
        var perAddress = SignInLimitedApp.PerAccountAndAddress - 1;
        for (var a = 0; a * perAddress < SignInLimitedApp.PerAccount; a++)
            for (var i = 0; i < perAddress; i++)
                (await PostAsync($"198.51.100.{30 + a}", email, Wrong)).ShouldBeInvalid();

        await (await PostAsync("198.51.100.99", email, BackOfficeAppFactory.TestPassword)).ShouldBeRefusedAsync();
    }

    [Fact]
    public async Task An_unknown_email_is_answered_and_limited_as_a_known_one_with_a_wrong_password()
    {
        var known = await UserAsync("known@limits.test");
        const string unknown = "unknown@limits.test";

        for (var i = 0; i < SignInLimitedApp.PerAccountAndAddress; i++)
        {
            var checks = app.Hasher.Checks;
            var knownAnswer = await PostAsync("198.51.100.40", known, Wrong);
            app.Hasher.Checks.ShouldBe(checks + 1);
            var unknownAnswer = await PostAsync("198.51.100.41", unknown, Wrong);
            app.Hasher.Checks.ShouldBe(checks + 2, "an unknown email costs a password hash as well");

            unknownAnswer.StatusCode.ShouldBe(knownAnswer.StatusCode);
            unknownAnswer.Headers.Location!.OriginalString.Replace("unknown", "known")
                .ShouldBe(knownAnswer.Headers.Location!.OriginalString);
        }

        var knownRefused = await PostAsync("198.51.100.40", known, Wrong);
        var unknownRefused = await PostAsync("198.51.100.41", unknown, Wrong);
        await knownRefused.ShouldBeRefusedAsync();
        await unknownRefused.ShouldBeRefusedAsync();
        (await unknownRefused.Content.ReadAsStringAsync()).ShouldNotContain("locked", Case.Insensitive);
    }

    [Fact]
    public async Task A_disabled_account_counts_failures_as_any_other()
    {
        var email = await UserAsync("disabled@limits.test", disabled: true);
        for (var i = 0; i < SignInLimitedApp.PerAccountAndAddress; i++)
            (await PostAsync("198.51.100.50", email, Wrong)).ShouldBeInvalid();

        await (await PostAsync("198.51.100.50", email, BackOfficeAppFactory.TestPassword)).ShouldBeRefusedAsync();
        // Only someone who knows the password hears that the account is disabled.
        (await PostAsync("198.51.100.51", email, BackOfficeAppFactory.TestPassword)).Headers.Location!.OriginalString
            .ShouldContain("error=disabled");
    }

    [Fact]
    public async Task Successful_sign_ins_are_no_failures()
    {
        var email = await UserAsync("often@limits.test");
        for (var i = 0; i < SignInLimitedApp.PerAccountAndAddress + 2; i++)
            (await PostAsync("198.51.100.60", email, BackOfficeAppFactory.TestPassword)).ShouldBeSignedIn();
    }

    /// <summary>The sign-in form posted from <paramref name="address"/> by a new browser.</summary>
    private async Task<HttpResponseMessage> PostAsync(string address, string email, string password)
    {
        using var client = app.CreateBrowserClient().From(address);
        return await BackOfficeAppFactory.SignInAsync(client, email, password);
    }

    private async Task<string> UserAsync(string email, string role = Roles.Manager, bool disabled = false)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, Disabled = disabled };
        (await users.CreateAsync(user, BackOfficeAppFactory.TestPassword)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        return email;
    }
}

internal static class SignInAnswers
{
    public static void ShouldBeInvalid(this HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldContain("error=invalid");
    }

    public static void ShouldBeSignedIn(this HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    /// <summary>429, Retry-After, and a page for a person: what happened, how long to wait, the way back to the form.</summary>
    public static async Task ShouldBeRefusedAsync(this HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, html);
        response.Headers.RetryAfter.ShouldNotBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain("Too many sign-in attempts");
        html.ShouldContain("Try again in");
        html.ShouldContain("data-testid=\"back-to-sign-in\"");
        response.Headers.Contains("Set-Cookie").ShouldBeFalse("nobody was signed in");
    }
}
