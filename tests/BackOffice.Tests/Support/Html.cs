using System.Net;
using System.Text.RegularExpressions;

namespace BackOffice.Tests.Support;

/// <summary>Just enough HTML reading for the server-rendered pages under test.</summary>
public static partial class Html
{
    /// <summary>The value of the antiforgery hidden input that &lt;AntiforgeryToken /&gt; renders in a form.</summary>
    public static string AntiforgeryToken(string html)
    {
        var input = AntiforgeryInput().Match(html);
        input.Success.ShouldBeTrue("the page has no __RequestVerificationToken input");
        var value = ValueAttribute().Match(input.Value);
        value.Success.ShouldBeTrue("the __RequestVerificationToken input has no value");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex(@"value=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();
}
