namespace BackOffice.Web.Components;

/// <summary>
/// A service for the pages, one operation at a time: each <c>RunAsync</c> resolves <typeparamref name="TService"/> in a DI
/// scope of its own, disposed when the call ends, so the service gets a fresh <c>BackOfficeDb</c> for that call only.
/// <para>
/// A Blazor Server circuit lives for hours and is one DI scope: a page injecting a scoped service that holds the circuit's
/// context would share that context across its concurrent handlers (a grid reload beside a button's save) and across
/// pages, with stale tracking. Pages inject <c>PerOperation&lt;TService&gt;</c> instead; work that must share one context
/// (revoke, then list) goes in one lambda. Registered as an open generic singleton (<see cref="Hosting.UiSetup"/>); the
/// services themselves are registered by their feature's AddX.
/// </para>
/// </summary>
public sealed class PerOperation<TService>(IServiceScopeFactory scopes) where TService : notnull
{
    /// <summary>Runs <paramref name="operation"/> on a service of a new scope and returns its result; the scope is disposed after.</summary>
    public async Task<T> RunAsync<T>(Func<TService, Task<T>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs <paramref name="operation"/> on a service of a new scope; the scope is disposed after.</summary>
    public async Task RunAsync(Func<TService, Task> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
