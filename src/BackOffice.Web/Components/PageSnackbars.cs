using MudBlazor;

namespace BackOffice.Web.Components;

/// <summary>
/// The one rule for a page's snackbars: an error is true only until the user acts on it, so it goes when the same
/// page later succeeds, when another error replaces it, and when the user leaves the page (<see cref="ErrorSnackbarsEndWithPage"/>).
/// Successes and notes fade out on their own.
/// </summary>
public static class PageSnackbars
{
    public static void Failed(this ISnackbar snackbar, string message)
    {
        snackbar.ClearErrors();
        snackbar.Add(message, Severity.Error);
    }

    /// <summary>A refused command: its first field's message (the page shows the rest on the fields), or its title.</summary>
    public static void Failed(this ISnackbar snackbar, ValidationFailedException refused) =>
        snackbar.Failed(refused.Errors.Values.SelectMany(v => v).FirstOrDefault() ?? refused.Message);

    public static void Succeeded(this ISnackbar snackbar, string message)
    {
        snackbar.ClearErrors();
        snackbar.Add(message, Severity.Success);
    }

    public static void ClearErrors(this ISnackbar snackbar)
    {
        foreach (var shown in snackbar.ShownSnackbars.Where(s => s.Severity == Severity.Error).ToList())
            snackbar.Remove(shown);
    }
}
