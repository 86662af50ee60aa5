using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Tests.Foundation;

/// <summary>A page that throws: the user reads a generic message and a reference, the log gets the exception.</summary>
public sealed class PageErrorBoundaryTests : ComponentTest
{
    private const string Secret = "Login failed for user 'backoffice'; Server=db01;Password=hunter2";
    private readonly RecordingLogger _log = new();

    public PageErrorBoundaryTests() => Services.AddSingleton<ILogger<PageErrorBoundary>>(_log);

    [Fact]
    public void Shows_a_reference_and_never_the_exception()
    {
        var boundary = Render<PageErrorBoundary>(p => p.AddChildContent<Failing>());

        var alert = boundary.Find("[data-testid=page-error]");
        alert.TextContent.ShouldContain("Something went wrong on this page");
        boundary.Markup.ShouldNotContain("hunter2");
        boundary.Markup.ShouldNotContain("Login failed");
        boundary.Markup.ShouldNotContain(nameof(InvalidOperationException));
        var reference = boundary.Find("[data-testid=page-error-reference]").TextContent;
        reference.ShouldNotBeNullOrWhiteSpace();

        var entry = _log.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Error);
        entry.Exception!.Message.ShouldBe(Secret);
        entry.Message.ShouldContain(reference);
    }

    [Fact]
    public void Shows_the_page_while_it_works()
    {
        var boundary = Render<PageErrorBoundary>(p => p.AddChildContent("<p id=\"fine\">fine</p>"));
        boundary.Find("#fine").TextContent.ShouldBe("fine");
        boundary.FindAll("[data-testid=page-error]").ShouldBeEmpty();
    }

    private sealed class Failing : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException(Secret);
    }

    private sealed class RecordingLogger : ILogger<PageErrorBoundary>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
