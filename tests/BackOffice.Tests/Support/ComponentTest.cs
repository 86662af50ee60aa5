using Bunit;
using MudBlazor.Services;

namespace BackOffice.Tests.Support;

/// <summary>
/// Base of bunit tests of MudBlazor components: MudBlazor's services, loose JS interop (MudBlazor calls JS we do
/// not emulate), and asynchronous disposal. MudBlazor 9 has services that only implement IAsyncDisposable, so
/// synchronous disposal of the context throws; xunit awaits <see cref="IAsyncLifetime.DisposeAsync"/> first.
/// </summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    protected ComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeTestAsync();
        await base.DisposeAsync();
    }

    /// <summary>Releases what a test class made besides the context (databases, files).</summary>
    protected virtual Task DisposeTestAsync() => Task.CompletedTask;
}
