using System.Reflection;
using BackOffice.Core.Data;
using BackOffice.Tests.Support;
using BackOffice.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Foundation;

/// <summary>Each call of <see cref="PerOperation{TService}"/> has a scope, and so a context, of its own, disposed when it ends.</summary>
public sealed class PerOperationTests : IAsyncLifetime
{
    private ShopDatabase _db = null!;
    private ServiceProvider _services = null!;

    /// <summary>A scoped service holding the scope's context, as the Core services do; it says when its scope let it go.</summary>
    private sealed class Probe(BackOfficeDb db) : IDisposable
    {
        public BackOfficeDb Db { get; } = db;
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    public Task InitializeAsync()
    {
        _db = new ShopDatabase();
        var services = new ServiceCollection();
        services.AddDbContext<BackOfficeDb>(o => _db.Configure(o));
        services.AddScoped<Probe>();
        services.AddSingleton(typeof(PerOperation<>));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task Two_calls_get_two_contexts_each_disposed_with_its_scope_when_the_call_ends()
    {
        var probes = _services.GetRequiredService<PerOperation<Probe>>();

        var first = await probes.RunAsync(async p =>
        {
            p.Disposed.ShouldBeFalse();
            (await p.Db.Outlets.CountAsync()).ShouldBe(0, "the context works during the call");
            return p;
        });
        Probe? second = null;
        await probes.RunAsync(async p =>
        {
            second = p;
            (await p.Db.Outlets.CountAsync()).ShouldBe(0);
        });

        second.ShouldNotBeNull();
        second.ShouldNotBeSameAs(first);
        second.Db.ShouldNotBeSameAs(first.Db);
        first.Disposed.ShouldBeTrue("the call's scope is disposed when it returns");
        second.Disposed.ShouldBeTrue();
        Should.Throw<ObjectDisposedException>(() => first.Db.Outlets.Count());
        Should.Throw<ObjectDisposedException>(() => second.Db.Outlets.Count());
    }

    [Fact]
    public async Task A_call_that_throws_still_disposes_its_scope_and_the_exception_reaches_the_caller()
    {
        var probes = _services.GetRequiredService<PerOperation<Probe>>();
        Probe? seen = null;

        await Should.ThrowAsync<InvalidOperationException>(() => probes.RunAsync<int>(p =>
        {
            seen = p;
            throw new InvalidOperationException("refused");
        }));

        seen.ShouldNotBeNull();
        seen.Disposed.ShouldBeTrue();
    }
}

/// <summary>
/// The real app gives the pages what they inject: every <see cref="PerOperation{TService}"/>'s service is registered by its
/// feature, and no component injects a service that holds the circuit's <see cref="BackOfficeDb"/>.
/// </summary>
public sealed class PageServicesTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    private static IEnumerable<(Type Component, Type Service)> Injected() =>
        from type in typeof(PerOperation<>).Assembly.GetTypes()
        where typeof(IComponent).IsAssignableFrom(type) && !type.IsAbstract
        from property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        where property.GetCustomAttribute<InjectAttribute>() is not null
        select (type, property.PropertyType);

    [Fact]
    public void Every_service_a_page_runs_per_operation_is_registered()
    {
        var perOperation = Injected().Where(i => i.Service.IsGenericType && i.Service.GetGenericTypeDefinition() == typeof(PerOperation<>)).ToList();
        perOperation.Count.ShouldBeGreaterThan(20, "the pages use their services through PerOperation");

        using var scope = app.Services.CreateScope();
        foreach (var (component, service) in perOperation)
        {
            app.Services.GetService(service).ShouldNotBeNull($"{component.Name}: {service.Name}");
            scope.ServiceProvider.GetService(service.GetGenericArguments()[0])
                .ShouldNotBeNull($"{component.Name} runs {service.GetGenericArguments()[0].Name}: its feature registers it");
        }
    }

    [Fact]
    public void No_component_injects_a_service_holding_a_context()
    {
        foreach (var (component, service) in Injected())
            HoldsContext(service, []).ShouldBeFalse($"{component.Name} injects {service.Name}, which holds the circuit's BackOfficeDb: use PerOperation<{service.Name}>");
    }

    /// <summary>Whether the type is the context or takes it, directly or through another of the app's services, in a constructor.</summary>
    private static bool HoldsContext(Type type, HashSet<Type> seen)
    {
        if (typeof(DbContext).IsAssignableFrom(type)) return true;
        if (type.Assembly.GetName().Name?.StartsWith("BackOffice", StringComparison.Ordinal) != true || !seen.Add(type)) return false;
        return type.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => HoldsContext(p.ParameterType, seen));
    }
}
