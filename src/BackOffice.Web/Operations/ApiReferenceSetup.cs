using BackOffice.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BackOffice.Web.Operations;

/// <summary>
/// The OpenAPI 3.1 document of the /api routes at /openapi/v1.json and its reference page for integrators at /scalar/.
/// Both are public: they describe the contract (api.md) and hold no data; every route they describe still needs its credential.
/// </summary>
public static class ApiReferenceSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    public static void AddApiReference(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(o =>
        {
            // The integrators' contract only: not the pages, sign-in, CSV exports, the hub or Hangfire.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer<ApiDocumentTransformer>();
            o.AddOperationTransformer<ApiOperationTransformer>();
        });

    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("BackOffice API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                // The page is served from this host (the package carries its script); nothing of it talks to a third party.
                .DisableAgent()
                .DisableMcp())
            .AllowAnonymous();
    }

    /// <summary>
    /// The request body of a route that reads its body itself (<see cref="ApiBody"/>, for field-level errors), for the
    /// document only. Not <c>Accepts&lt;T&gt;()</c>: that also makes routing answer 415 to a body sent without
    /// <c>application/json</c>, which the routes accept today.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TBody)));

    /// <summary>What every route behind a bearer credential can answer: 401 without a valid one, 429 over the limit per credential (api.md).</summary>
    public static RouteGroupBuilder WithCredentialProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
}

public sealed record JsonBodyMetadata(Type Type);

/// <summary>The document's title and the two bearer schemes: till tokens and integration API keys.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "BackOffice API",
            Version = "v1",
            Description = "The till and integration routes of BackOffice. Errors are RFC 7807 problem details (application/problem+json); " +
                "validation errors carry `errors` keyed by field (`lines[0].quantity`).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiSchemes.Till] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A till token (`Authorization: Bearer <till token>`): a manager registers the till for an outlet and sees its token once. Only /api/till/*.",
        };
        document.Components.SecuritySchemes[ApiSchemes.ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An integration API key (`Authorization: Bearer <api key>`): an admin creates it and sees it once. Products, receipts and stock.",
        };
        return Task.CompletedTask;
    }
}

/// <summary>
/// Per operation: the security requirement of the policy the route really has (a till token or an API key, from its
/// authorization metadata, so the document cannot say otherwise than the server does) and the request body of
/// <see cref="JsonBodyMetadata"/>.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        var scheme = policies.Contains(ApiPolicies.Till) ? ApiSchemes.Till : policies.Contains(ApiPolicies.Integration) ? ApiSchemes.ApiKey : null;
        if (scheme is not null)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        if (metadata.OfType<JsonBodyMetadata>().LastOrDefault() is { } body)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                },
            };
    }
}
