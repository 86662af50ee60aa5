using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BackOffice.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Tests.Operations;

/// <summary>GET /openapi/v1.json describes every route of api.md (verb, schemas, problems, its bearer scheme) and nothing but /api; /scalar/ renders it.</summary>
public sealed partial class OpenApiDocumentTests(BackOfficeAppWithoutDemoData app) : IClassFixture<BackOfficeAppWithoutDemoData>
{
    private const string Till = "TillToken";
    private const string ApiKey = "ApiKey";

    /// <summary>
    /// The <c>### `VERB /path`</c> headings of ../shared/docs/api.md, copied here because a clean clone of this repository
    /// need not have shared/ beside it (<see cref="The_copied_routes_are_the_headings_of_api_md_when_it_is_there"/> checks
    /// the copy where it is), with the scheme each takes and the problems each can answer.
    /// </summary>
    public static readonly (string Verb, string Path, string Scheme, int[] Problems)[] ContractRoutes =
    [
        ("GET", "/api/till/me", Till, [401, 429]),
        ("GET", "/api/till/catalog", Till, [401, 429]),
        ("POST", "/api/till/sales", Till, [400, 401, 409, 413, 429]),
        ("POST", "/api/till/sales/sync", Till, [400, 401, 413, 429]),
        ("POST", "/api/till/returns", Till, [400, 401, 409, 413, 429]),
        ("GET", "/api/till/sales/{saleId}", Till, [400, 401, 404, 429]),
        ("GET", "/api/till/z-report", Till, [400, 401, 429]),
        ("PUT", "/api/products/{sku}", ApiKey, [400, 401, 409, 429]),
        ("POST", "/api/receipts", ApiKey, [400, 401, 429]),
        ("GET", "/api/stock/{outletCode}", ApiKey, [401, 404, 429]),
    ];

    /// <summary>Routes api.md gives in its text rather than as headings (lots), held to the same description.</summary>
    public static readonly (string Verb, string Path, string Scheme, int[] Problems)[] TextRoutes =
    [
        ("POST", "/api/lots/recall", ApiKey, [400, 401, 403, 404, 429]),
        ("POST", "/api/lots/release", ApiKey, [400, 401, 403, 404, 429]),
        ("GET", "/api/lots/{sku}/{lotNumber}", ApiKey, [401, 403, 404, 429]),
    ];

    public static TheoryData<string, string> Routes()
    {
        var routes = new TheoryData<string, string>();
        foreach (var r in ContractRoutes.Concat(TextRoutes)) routes.Add(r.Verb, r.Path);
        return routes;
    }

    private async Task<JsonNode> DocumentAsync()
    {
        // Anonymous: the document holds the contract, no data.
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return await response.JsonAsync();
    }

    [Fact]
    public async Task The_document_is_OpenAPI_3_1_with_two_http_bearer_schemes()
    {
        var document = await DocumentAsync();
        document["openapi"]!.GetValue<string>().ShouldStartWith("3.1");
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        schemes.Select(s => s.Key).ShouldBe([Till, ApiKey], ignoreOrder: true);
        foreach (var (_, scheme) in schemes)
        {
            scheme!["type"]!.GetValue<string>().ShouldBe("http");
            scheme["scheme"]!.GetValue<string>().ShouldBe("bearer");
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_contract_route_is_described_with_its_verb_schemas_problems_and_scheme(string verb, string path)
    {
        var route = ContractRoutes.Concat(TextRoutes).Single(r => r.Verb == verb && r.Path == path);
        var document = await DocumentAsync();
        var operation = document["paths"]?[path]?[verb.ToLowerInvariant()];
        operation.ShouldNotBeNull($"{verb} {path} is not in the document");
        operation["operationId"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        operation["summary"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace();

        var responses = operation["responses"]!.AsObject();
        var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
        success.ShouldNotBeEmpty($"{verb} {path} has no 2xx response");
        foreach (var (status, response) in success)
            SchemaOf(document, response!["content"]?["application/json"]?["schema"]).ShouldBeTrue($"{verb} {path} {status} has no JSON schema");

        foreach (var status in route.Problems)
        {
            var problem = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            problem.ShouldNotBeNull($"{verb} {path} does not say it can answer {status}");
            SchemaOf(document, problem["content"]?["application/problem+json"]?["schema"]).ShouldBeTrue($"{verb} {path} {status} is not a problem");
        }

        if (verb is "POST" or "PUT")
            SchemaOf(document, operation["requestBody"]?["content"]?["application/json"]?["schema"]).ShouldBeTrue($"{verb} {path} has no request schema");

        var security = operation["security"]!.AsArray();
        security.Count.ShouldBe(1, $"{verb} {path}");
        security[0]!.AsObject().Select(s => s.Key).ShouldBe([route.Scheme], $"{verb} {path} takes the {route.Scheme} scheme");
    }

    [Fact]
    public async Task Only_api_routes_are_in_the_document_and_every_api_route_of_the_app_is()
    {
        var document = await DocumentAsync();
        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).ToHashSet();
        described.Where(d => !d.Split(' ')[1].StartsWith("/api/", StringComparison.Ordinal)).ShouldBeEmpty();

        // Every /api route the app maps, so that a new route cannot ship undescribed.
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet();
        mapped.Count.ShouldBeGreaterThanOrEqualTo(ContractRoutes.Length);
        mapped.Except(described).ShouldBeEmpty("mapped /api routes missing from the document");
        ContractRoutes.Concat(TextRoutes).Select(r => $"{r.Verb} {r.Path}").Except(described).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_reference_page_renders_the_document_from_this_host()
    {
        using var client = app.CreateClient();
        var page = await client.GetAsync("/scalar/");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("openapi/v1.json");
        html.ShouldContain("scalar.js");
        // Its script is served here, not from a CDN (tills' networks and the back-office may have no internet).
        (await client.GetAsync("/scalar/scalar.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void The_copied_routes_are_the_headings_of_api_md_when_it_is_there()
    {
        var apiMd = FindApiMd();
        if (apiMd is null) return; // a clone without shared/ beside it: the copy above stands
        var headings = File.ReadLines(apiMd).Select(l => Heading().Match(l)).Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();
        headings.ShouldNotBeEmpty();
        headings.ShouldBe(ContractRoutes.Select(r => $"{r.Verb} {r.Path}"), ignoreOrder: true,
            customMessage: $"the route headings of {apiMd} changed: update ContractRoutes (and describe the new routes)");
    }

    /// <summary>A schema, inline or a reference to one the document has.</summary>
    private static bool SchemaOf(JsonNode document, JsonNode? schema)
    {
        if (schema is not JsonObject o) return false;
        if (o["$ref"]?.GetValue<string>() is { } reference)
            return document["components"]?["schemas"]?[reference.Replace("#/components/schemas/", "")] is JsonObject;
        return o.Count > 0;
    }

    private static string? FindApiMd()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackOffice.sln")))
                return Path.Combine(dir.FullName, "..", "shared", "docs", "api.md") is var path && File.Exists(path) ? path : null;
        return null;
    }

    // "### `GET /api/till/z-report?date=yyyy-MM-dd`" → GET, /api/till/z-report
    [GeneratedRegex(@"^### `(GET|POST|PUT|PATCH|DELETE) ([^`?\s]+)[^`]*`")]
    private static partial Regex Heading();
}
