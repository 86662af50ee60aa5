using Bunit;
using Microsoft.AspNetCore.Components;

namespace BackOffice.Tests.Support;

/// <summary>
/// Find-then-act in one turn of the renderer. A page's load can finish on another thread (a real
/// database answers when it answers) and re-render between a Find and a Click, taking the found
/// element's handler away; inside InvokeAsync nothing renders in between.
/// </summary>
public static class Interact
{
    public static Task ClickOnAsync<T>(this IRenderedComponent<T> rendered, string selector) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Click());

    public static Task ChangeOnAsync<T, TValue>(this IRenderedComponent<T> rendered, string selector, TValue value) where T : IComponent =>
        rendered.InvokeAsync(() => rendered.Find(selector).Change(value));
}
