using BackOffice.E2E.Support;

namespace BackOffice.E2E.Catalog;

/// <summary>The products table on a laptop's screen: the actions of each row are in view, however wide the other columns are.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class ProductsTableWidthTests(BackOfficeServer server)
{
    [Theory]
    [InlineData(1400)]
    [InlineData(1100)]
    public async Task The_action_column_is_in_view_and_clickable(int width)
    {
        var (context, page) = await server.SignedInAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(width, 900);

        await page.OpenAsync("/catalog/products");
        var grid = page.GetByTestId("products-grid");
        var deactivate = grid.GetByTestId("product-deactivate").First;
        await deactivate.WaitForAsync();
        await server.ScreenshotAsync(page, $"products-{width}");

        var container = await grid.Locator(".mud-table-container").BoundingBoxAsync();
        var button = await deactivate.BoundingBoxAsync();
        var edit = await grid.GetByTestId("product-edit").First.BoundingBoxAsync();
        container.ShouldNotBeNull();
        button.ShouldNotBeNull();
        edit.ShouldNotBeNull();
        foreach (var box in new[] { button, edit })
        {
            box.X.ShouldBeGreaterThanOrEqualTo(container.X);
            (box.X + box.Width).ShouldBeLessThanOrEqualTo(container.X + container.Width + 0.5f);
            (box.X + box.Width).ShouldBeLessThanOrEqualTo(width);
        }
        // In view is not enough: nothing (a scrolled cell) lies over it.
        var hit = await deactivate.EvaluateAsync<bool>(
            "b => { const r = b.getBoundingClientRect(); const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return !!e && b.contains(e); }");
        hit.ShouldBeTrue();
    }
}
