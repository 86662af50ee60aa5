using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Tills;

[Collection(BackOfficeServerCollection.Name)]
public sealed class TillRegistrationTests(BackOfficeServer server)
{
    [Fact]
    public async Task Register_a_till_see_its_token_once_and_revoke_it()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;

        await page.OpenAsync("/tills");
        await page.GetByTestId("till-name").EnterAsync("E2E Counter 9");
        await page.GetByTestId("till-register").ClickUntilAsync(page.GetByTestId("secret-value"));
        (await page.GetByTestId("secret-value").InnerTextAsync()).ShouldStartWith("till_");
        var row = page.GetByTestId("tills").Locator("tbody tr").Filter(new() { HasText = "E2E Counter 9" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await server.ScreenshotAsync(page, "till-registered");

        await row.GetByTestId("till-revoke").ClickAsync();
        await page.DialogButton("Revoke").ClickAsync();
        await Assertions.Expect(row.GetByTestId("till-revoked")).ToBeVisibleAsync();
        await server.ScreenshotAsync(page, "till-revoked");
    }
}
