using BackOffice.E2E.Support;

namespace BackOffice.E2E.Accessibility;

/// <summary>The audit itself, on a page made to fail: it must see what the issue found, and say where and why.</summary>
[Collection(BackOfficeServerCollection.Name)]
public sealed class AxeAuditTests(BackOfficeServer server)
{
    private const string Broken = """
        <!doctype html><html lang="en"><head><title>Broken</title></head><body>
          <h4>No h1, no main</h4>
          <p style="color:#ff9800;background:#fff">Orange text at 2.2:1</p>
          <div role="list"><button type="button" role="listitem">A product</button></div>
        </body></html>
        """;

    [Fact]
    public async Task A_low_contrast_page_without_main_or_h1_fails_and_a_misused_role_fails_where_strict()
    {
        await using var context = await server.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync(Broken);

        var audit = await AxeAudit.RunAsync(page);
        var strict = await AxeAudit.RunAsync(page, strict: true);

        var contrast = audit.Failing.Where(p => p.StartsWith("color-contrast (serious)")).ShouldHaveSingleItem(string.Join("\n", audit.Failing));
        contrast.ShouldContain("https://dequeuniversity.com/rules/axe/");
        contrast.ShouldContain("\n    p");   // the node's selector
        contrast.ShouldContain("2.15");      // and what axe measured
        audit.Failing.ShouldContain(p => p.StartsWith("landmarks: 0 visible <main>"));
        audit.Failing.ShouldContain(p => p.StartsWith("headings: 0 visible <h1>"));
        audit.Notes.ShouldContain(p => p.StartsWith("aria-allowed-role (minor)"));
        strict.Failing.ShouldContain(p => p.StartsWith("aria-allowed-role (minor)"));
        strict.Notes.ShouldBeEmpty();
    }
}
