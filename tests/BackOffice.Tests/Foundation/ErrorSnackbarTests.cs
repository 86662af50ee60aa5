using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BackOffice.Tests.Foundation;

/// <summary>An error snackbar is about its page: it goes when the user leaves the page, when the page succeeds, and when another error replaces it.</summary>
public sealed class ErrorSnackbarTests : ComponentTest
{
    private IRenderedComponent<MudSnackbarProvider> RenderShell(string start)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(start);
        var snackbars = Render<MudSnackbarProvider>();
        Render<ErrorSnackbarsEndWithPage>();
        return snackbars;
    }

    private ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Going_to_another_page_removes_the_error_and_keeps_a_success()
    {
        var snackbars = RenderShell("/inventory/receive");
        Snackbar.Add("Received 3 units.", Severity.Success);
        Snackbar.Failed("The receipt is not valid.");
        snackbars.WaitForAssertion(() => snackbars.Markup.ShouldContain("The receipt is not valid."), Wait);

        Services.GetRequiredService<NavigationManager>().NavigateTo("/catalog/products");

        snackbars.WaitForAssertion(() =>
        {
            snackbars.Markup.ShouldNotContain("The receipt is not valid.");
            snackbars.Markup.ShouldContain("Received 3 units.");
        }, Wait);
        Snackbar.ShownSnackbars.ShouldAllBe(s => s.Severity != Severity.Error);
    }

    [Fact]
    public void A_change_of_the_query_only_stays_on_the_page_and_keeps_the_error()
    {
        var snackbars = RenderShell("/reports/ledger");
        Snackbar.Failed("Paste a batch id.");

        Services.GetRequiredService<NavigationManager>().NavigateTo("/reports/ledger?kind=Sale");

        snackbars.WaitForAssertion(() => snackbars.Markup.ShouldContain("Paste a batch id."), Wait);
    }

    [Fact]
    public void A_success_removes_the_error_and_a_new_error_replaces_the_old()
    {
        var snackbars = RenderShell("/inventory/transfers");
        Snackbar.Failed(new ValidationFailedException("The transfer is not valid.",
            new Dictionary<string, string[]> { ["lines[0].quantity"] = ["Only 2 of IBU-200 at LDN-01."] }));
        Snackbar.Failed("Second error.");
        snackbars.WaitForAssertion(() =>
        {
            snackbars.Markup.ShouldContain("Second error.");
            snackbars.Markup.ShouldNotContain("Only 2 of IBU-200 at LDN-01.");
        }, Wait);

        Snackbar.Succeeded("Moved 2 units from LDN-01 to MAN-01.");

        snackbars.WaitForAssertion(() =>
        {
            snackbars.Markup.ShouldContain("Moved 2 units");
            snackbars.Markup.ShouldNotContain("Second error.");
        }, Wait);
    }
}
