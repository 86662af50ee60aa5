using BackOffice.E2E.Support;
using Microsoft.Playwright;

namespace BackOffice.E2E.Inventory;

/// <summary>A refused receipt's error snackbar goes once the next receipt succeeds, and when the user moves to another page.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class ErrorSnackbarTests(BackOfficeServer server)
{
    // Well within the snackbars' own 4 s: gone by the rule, not by fading out.
    private static readonly LocatorAssertionsToHaveCountOptions AtOnce = new() { Timeout = 1500 };

    [Fact]
    public async Task The_error_goes_on_the_next_success_and_on_leaving_the_page()
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        var errors = page.Locator(".mud-snackbar.mud-alert-filled-error");

        await page.OpenAsync("/inventory/receive");
        await page.GetByTestId("line-code").WaitForAsync();
        await page.GetByTestId("line-code").EnterAsync("NO-SUCH-SKU-E2E");
        await page.GetByTestId("line-lot").EnterAsync("LOT-SNACK-1");
        await page.GetByTestId("line-expiry").EnterAsync("2027-06-30");
        await page.GetByTestId("line-quantity").EnterAsync("2");
        await page.GetByTestId("line-cost").EnterAsync("1.00");
        await page.GetByTestId("receive-submit").ClickUntilAsync(page.GetByTestId("receive-error"));
        await Assertions.Expect(errors).ToHaveCountAsync(1);

        await page.GetByTestId("line-code").EnterAsync("AMLO-10MG-20");
        await page.GetByTestId("receive-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("receive-result")).ToBeVisibleAsync();
        await Assertions.Expect(errors).ToHaveCountAsync(0, AtOnce);

        await page.GetByTestId("line-code").EnterAsync("NO-SUCH-SKU-E2E");
        await page.GetByTestId("line-lot").EnterAsync("LOT-SNACK-2");
        await page.GetByTestId("line-expiry").EnterAsync("2027-06-30");
        await page.GetByTestId("receive-submit").ClickAsync();
        await Assertions.Expect(errors).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "Products", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/catalog/products");
        await Assertions.Expect(errors).ToHaveCountAsync(0, AtOnce);
    }
}
