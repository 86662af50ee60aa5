using BackOffice.Core.Lots;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;

namespace BackOffice.Web.Lots;

public sealed record LotStatusBody(string? Sku, string? LotNumber, string? Reason);

/// <summary>Lots: recall, release and the trace (api.md, "Lot status and recall"), for integrations and the Recalls page.</summary>
public static class LotsFeature
{
    public static void AddLots(this WebApplicationBuilder builder) => builder.Services.AddScoped<LotRecalls>();

    public static void MapLots(this WebApplication app)
    {
        var api = app.MapGroup("/api/lots").RequireAuthorization(ApiPolicies.Integration).RequireRateLimiting(RateLimitPolicies.Api)
            .WithApiProblems().WithTags("Integration").WithCredentialProblems()
            .RequireAuthorization(ApiPolicies.Scope(Core.Tills.ApiKeyScopes.Lots));

        api.MapPost("/recall", (HttpRequest http, ApiBody body, LotRecalls lots, CancellationToken ct) =>
            SetAsync(http, body, (sku, lot, reason) => lots.RecallAsync(sku, lot, reason, http.HttpContext.User.Identity?.Name, ct)))
            .WithName("RecallLot").WithSummary("Recall a lot at every outlet: its batches are quarantined (never sellable) until released; answers its trace")
            .WithJsonBody<LotStatusBody>()
            .Produces<LotTrace>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/release", (HttpRequest http, ApiBody body, LotRecalls lots, CancellationToken ct) =>
            SetAsync(http, body, (sku, lot, reason) => lots.ReleaseAsync(sku, lot, reason, http.HttpContext.User.Identity?.Name, ct)))
            .WithName("ReleaseLot").WithSummary("Release a recalled lot: its batches are sellable again (unless expired); answers its trace")
            .WithJsonBody<LotStatusBody>()
            .Produces<LotTrace>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{sku}/{lotNumber}", async (string sku, string lotNumber, LotRecalls lots, CancellationToken ct) =>
            await lots.TraceAsync(sku, lotNumber, ct) is { } trace ? Results.Ok(trace) : ApiProblems.NotFound($"Lot '{lotNumber}' of '{sku}' was never received."))
            .WithName("TraceLot").WithSummary("The trace of a lot: status, received, on hand per outlet, sold, and every sale that took units of it")
            .Produces<LotTrace>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> SetAsync(HttpRequest http, ApiBody body, Func<string, string, string?, Task<LotTrace>> set)
    {
        var request = await body.ReadAsync<LotStatusBody>(http);
        try
        {
            return Results.Ok(await set(request.Sku ?? "", request.LotNumber ?? "", request.Reason));
        }
        catch (LotNotFoundException e)
        {
            return ApiProblems.NotFound(e.Message);
        }
    }
}
