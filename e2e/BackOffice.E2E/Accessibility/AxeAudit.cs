using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BackOffice.E2E.Accessibility;

/// <summary>
/// One accessibility check of what a page shows now: axe-core's violations, and the page's outline (exactly one visible main
/// landmark and one visible h1). On the back-office critical and serious violations fail, moderate and minor ones are notes:
/// MudBlazor draws most of its markup. The till's markup is all its own, so there every violation fails.
/// </summary>
public static class AxeAudit
{
    private static readonly HashSet<string> Failing = new(StringComparer.OrdinalIgnoreCase) { "critical", "serious" };

    // Only violations come back with their nodes: the passes of a 50-row table are most of what axe would otherwise send.
    private static readonly AxeRunOptions Options = new() { ResultTypes = [ResultType.Violations] };

    /// <summary>
    /// What is wrong on the page, one paragraph per problem: <see cref="Audit.Failing"/> fails a test, <see cref="Audit.Notes"/>
    /// (moderate and minor findings) are only written to the test's output.
    /// </summary>
    /// <param name="strict">every violation fails, whatever its impact</param>
    public static async Task<Audit> RunAsync(IPage page, bool strict = false)
    {
        var failing = new List<string>();
        var notes = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SettledAsync(page);
        var result = await page.RunAxe(Options);
        foreach (var violation in result.Violations)
            (strict || violation.Impact is null || Failing.Contains(violation.Impact) ? failing : notes).Add(Describe(violation));

        // Visible ones only: the till keeps its other screens in the document, hidden.
        var outline = await page.EvaluateAsync<int[]>("""
            () => {
              const visible = (selector) => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility()).length;
              return [visible('main, [role=main]'), visible('h1, [role=heading][aria-level="1"]')];
            }
            """);
        if (outline[0] != 1) failing.Add($"landmarks: {outline[0]} visible <main> landmarks, expected exactly one");
        if (outline[1] != 1) failing.Add($"headings: {outline[1]} visible <h1>, expected exactly one");
        return new Audit(failing, notes, clock.Elapsed);
    }

    /// <summary>
    /// Waits (a little) for what is fading in to finish: a dialog or snackbar caught mid-animation has colours it never shows at
    /// rest (1.6:1 for a fading success snackbar). Endless animations (progress bars) do not count. A snackbar that starts to
    /// fade out while axe runs is not caught here: the tests leave none behind from one page to the next.
    /// </summary>
    private static async Task SettledAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("""
                () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)
                """, null, new() { Timeout = 5_000 });
        }
        catch (TimeoutException) { }   // audit what is there: the report names the element if it is what fails
    }

    /// <summary>Fails with every failing problem of the page, named by <paramref name="what"/>; writes the notes to <paramref name="output"/>.</summary>
    public static async Task ShouldPassAsync(IPage page, string what, ITestOutputHelper output)
    {
        var audit = await RunAsync(page);
        audit.WriteNotes(what, output);
        audit.Failing.ShouldBeEmpty(Report(what, page.Url, audit.Failing));
    }

    public static string Report(string what, string url, IReadOnlyList<string> problems) =>
        $"{what} ({url}) has {problems.Count} accessibility problem(s):\n" + string.Join("\n", problems);

    public sealed record Audit(IReadOnlyList<string> Failing, IReadOnlyList<string> Notes, TimeSpan Took)
    {
        public void WriteNotes(string what, ITestOutputHelper output)
        {
            output.WriteLine($"{what}: axe and the outline in {Took.TotalMilliseconds:N0} ms");
            foreach (var note in Notes) output.WriteLine($"{what}, not failing: {note}");
        }
    }

    private static string Describe(AxeResultItem violation)
    {
        var text = new StringBuilder($"{violation.Id} ({violation.Impact}): {violation.Help} — {violation.HelpUrl}");
        const int shown = 8;   // the first few nodes say where; the count says how many
        foreach (var node in violation.Nodes.Take(shown))
        {
            text.Append("\n    ").Append(node.Target);
            // What the check saw (for contrast: the two colours and the ratio).
            var why = (node.All ?? []).Concat(node.None ?? []).Concat(node.Any ?? []).Select(c => c.Message).FirstOrDefault(m => !string.IsNullOrEmpty(m));
            if (why is not null) text.Append("  ⟶ ").Append(why.ReplaceLineEndings(" "));
        }
        if (violation.Nodes.Length > shown) text.Append($"\n    … and {violation.Nodes.Length - shown} more node(s)");
        return text.ToString();
    }
}
