using System.Net;
using BackOffice.Core.Tills;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.Tests.Hosting;

/// <summary>The app with 3 API calls a minute per credential.</summary>
public sealed class ApiLimitedApp : BackOfficeAppFactory
{
    public const int Limit = 3;

    protected override bool DemoData => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:TillApi:PermitLimit", Limit.ToString());
        builder.UseSetting("RateLimits:TillApi:WindowSeconds", "60");
        builder.UseSetting("RateLimits:IntegrationApi:PermitLimit", Limit.ToString());
        builder.UseSetting("RateLimits:IntegrationApi:WindowSeconds", "60");
    }
}

/// <summary>API calls are limited per credential: over the limit, 429 problem details with Retry-After; other credentials go on.</summary>
public sealed class ApiRateLimitTests(ApiLimitedApp app) : IClassFixture<ApiLimitedApp>
{
    [Fact]
    public async Task A_till_over_its_limit_gets_429_problem_details_with_Retry_After_and_other_tills_go_on()
    {
        var (busy, other) = (await TillTokenAsync(), await TillTokenAsync());
        using var client = app.BearerClient(busy);
        for (var i = 0; i < ApiLimitedApp.Limit; i++)
            (await client.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await client.GetAsync("/api/till/me");

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem["title"]!.GetValue<string>().ShouldContain("Too many requests");
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        (await client.PostJsonAsync("/api/till/sales", new { })).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "every till route");
        using var otherTill = app.BearerClient(other);
        (await otherTill.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_api_key_over_its_limit_gets_429_problem_details_with_Retry_After_on_every_integration_route()
    {
        using var client = app.BearerClient(await ApiKeyAsync());
        for (var i = 0; i < ApiLimitedApp.Limit; i++)
            (await client.GetAsync("/api/stock/NOWHERE")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var refused = await client.PutAsync("/api/products/ANY-SKU", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        using var otherKey = app.BearerClient(await ApiKeyAsync());
        (await otherKey.GetAsync("/api/stock/NOWHERE")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unauthenticated_calls_are_401_whatever_the_limits()
    {
        using var client = app.BearerClient("not-a-token");
        for (var i = 0; i < ApiLimitedApp.Limit + 2; i++)
            (await client.GetAsync("/api/till/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<string> TillTokenAsync()
    {
        await using var scope = app.CreateDbScope(out var db);
        var outlet = Make.Outlet();
        db.Outlets.Add(outlet);
        await db.SaveChangesAsync();
        var token = Secrets.NewToken("till");
        db.Tills.Add(Make.Till(outlet.Id, Secrets.Hash(token)));
        await db.SaveChangesAsync();
        return token;
    }

    private async Task<string> ApiKeyAsync()
    {
        await using var scope = app.CreateDbScope(out var db);
        var key = Secrets.NewToken("key");
        db.ApiKeys.Add(new ApiKey { Name = "limits " + Guid.NewGuid().ToString("N")[..8], KeyHash = Secrets.Hash(key), CreatedAt = DateTime.UtcNow, Scopes = ApiKeyScopes.All });
        await db.SaveChangesAsync();
        return key;
    }
}
