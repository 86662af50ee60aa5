using MudBlazor;

namespace BackOffice.Web.Layout;

public static class BackOfficeTheme
{
    // Every colour that carries text (as text, or behind white text on chips and filled buttons) holds at least 4.5:1 against
    // white and the page background (#f6f8f8): MudBlazor's defaults for warning (#ff9800, 2.2:1), error, success and info
    // do not. The accessibility tests (e2e/…/Accessibility) check it with axe-core.
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00796b",      // 5.3:1 on white
            Secondary = "#4e5bb0",    // 6.1:1 (was #5c6bc0, 4.6:1 on the background)
            Info = "#1565c0",         // 5.8:1
            Success = "#2e7d32",      // 5.1:1
            Warning = "#b45309",      // 5.0:1, an amber that still reads as a warning
            Error = "#c62828",        // 5.6:1
            AppbarBackground = "#004d40",
            Background = "#f6f8f8",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
