using MudBlazor;

namespace BackOffice.Web.Layout;

public static class BackOfficeTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#00796b",
            Secondary = "#5c6bc0",
            AppbarBackground = "#004d40",
            Background = "#f6f8f8",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
