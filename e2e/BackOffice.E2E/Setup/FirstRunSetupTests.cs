using BackOffice.E2E.Accessibility;
using BackOffice.E2E.Support;
using BackOffice.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BackOffice.E2E.Setup;

/// <summary>
/// The first run in a real browser: the app in Production on an empty SQLite file (its own process, not the run's shared
/// server) leads to /setup, which makes the first admin and outlet, who then signs in; the form passes axe and the CSP.
/// </summary>
public sealed class FirstRunSetupTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"backoffice-e2e-setup-{Guid.NewGuid():N}.db");
    private AppProcess _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__BackOffice"] = $"Data Source={_database}",
            ["Jobs__RunServer"] = "false",
        }, environment: "Production", builtBeside: typeof(FirstRunSetupTests).Assembly);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
        var jobs = Path.ChangeExtension(_database, ".hangfire.db");
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }

    [Fact]
    public async Task An_empty_database_is_set_up_once_in_the_browser_and_its_admin_signs_in()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.BaseUrl });
        var violations = new List<string>();
        context.Console += (_, message) => { if (BackOfficeServer.IsCspViolation(message.Text)) violations.Add(message.Text); };
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Set up BackOffice");
        await AxeAudit.ShouldPassAsync(page, "/setup", output);

        // A refused form comes back with its errors by field, what was typed kept (but the passwords).
        await page.GetByLabel("Email").FillAsync("owner@pharmacy.test");
        await page.GetByTestId("setup-name").FillAsync("Olivia Owner");
        await page.GetByTestId("setup-password").FillAsync("Setup-Passw0rd!");
        await page.GetByTestId("setup-confirm").FillAsync("Setup-Passw0rd!");
        await page.GetByTestId("setup-outlet-code").FillAsync("LDN-01");
        await page.GetByTestId("setup-outlet-name").FillAsync("Camden High Street Pharmacy");
        await page.GetByTestId("setup-outlet-zone").FillAsync("Europe/London");
        await page.GetByTestId("setup-outlet-currency").FillAsync("GBX");
        await page.GetByTestId("setup-outlet-culture").FillAsync("en-GB");
        await page.GetByTestId("setup-outlet-rate").FillAsync("20");
        await page.GetByTestId("setup-submit").ClickAsync();
        await Assertions.Expect(page.GetByText("'GBX' is not an ISO 4217 currency code")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("setup-outlet-code")).ToHaveValueAsync("LDN-01");

        await page.GetByTestId("setup-password").FillAsync("Setup-Passw0rd!");
        await page.GetByTestId("setup-confirm").FillAsync("Setup-Passw0rd!");
        await page.GetByTestId("setup-outlet-currency").FillAsync("GBP");
        await page.GetByTestId("setup-submit").ClickAsync();
        await page.WaitForURLAsync("**/account/login?setup=done*");
        await Assertions.Expect(page.GetByTestId("login-setup-done")).ToBeVisibleAsync();

        await page.GetByTestId("login-email").FillAsync("owner@pharmacy.test");
        await page.GetByTestId("login-password").FillAsync("Setup-Passw0rd!");
        await page.GetByTestId("login-submit").ClickAsync();
        await page.GotoAsync("/admin/outlets");
        await Assertions.Expect(page.GetByTestId("outlets")).ToContainTextAsync("LDN-01");

        // Once done, the setup is gone.
        var again = await page.GotoAsync("/setup");
        again!.Status.ShouldBe(404);
        violations.ShouldBeEmpty();
    }
}
