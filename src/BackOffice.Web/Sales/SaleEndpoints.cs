using System.Text.Json;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;
using Microsoft.AspNetCore.Mvc;

namespace BackOffice.Web.Sales;

/// <summary>
/// What a till sends, as it arrives: ids as strings (a malformed UUID is a field error of its own, not a body that fails
/// to bind), everything nullable so that a missing value is reported by name. What api.md makes optional has a default:
/// the OpenAPI document marks the other fields required.
/// </summary>
public sealed record SaleBody(string? SaleId, DateTimeOffset? OccurredAt, List<SaleLineBody?>? Lines, List<PaymentBody?>? Payments = null);

public sealed record SaleLineBody(string? Sku, int? Quantity, decimal? UnitPrice, string? LotNumber = null);

public sealed record PaymentBody(string? Method, decimal? Amount);

public sealed record ReturnBody(string? ReturnId, string? SaleId, DateTimeOffset? OccurredAt, List<ReturnLineBody?>? Lines, string? Reason = null);

public sealed record ReturnLineBody(string? Sku, int? Quantity);

public sealed record SyncBody(List<JsonElement>? Sales, List<JsonElement>? Returns);

/// <summary>The sync body as the OpenAPI document shows it; read as <see cref="SyncBody"/>, so that each item fails on its own.</summary>
public sealed record SyncRequest(IReadOnlyList<SaleBody>? Sales = null, IReadOnlyList<ReturnBody>? Returns = null);

/// <summary>One sale's answer in a sync. <see cref="Held"/>: the server keeps a rejected sale for managers, so the till may forget it.</summary>
public sealed record SyncSaleResult(string? SaleId, string Status, object? Error, SaleResult? Sale, bool? Held = null);

public sealed record SyncReturnResult(string? ReturnId, string Status, object? Error, ReturnResult? Return);

public sealed record SyncResponse(IReadOnlyList<SyncSaleResult> Results, IReadOnlyList<SyncReturnResult>? Returns);

public static class SaleEndpoints
{
    public const int MaxSyncSales = 500;

    /// <summary>POST /api/till/sales, /api/till/sales/sync and /api/till/returns (api.md), on the till group.</summary>
    public static void MapSaleEndpoints(this RouteGroupBuilder till)
    {
        till.MapPost("/sales", async (HttpRequest http, ApiBody body, TillSync sync, CancellationToken ct) =>
        {
            var result = await sync.RecordSaleAsync(await body.ReadElementAsync(http, ApiProblems.TillBodyLimit), CounterOf(http), "direct", ct);
            return result.Status switch
            {
                "recorded" => Results.Json(result.Sale, body.Json, statusCode: StatusCodes.Status201Created),
                "duplicate" => Results.Json(result.Sale, body.Json, statusCode: StatusCodes.Status200OK),
                _ => Results.Json((ProblemDetails)result.Error!, body.Json, "application/problem+json", ((ProblemDetails)result.Error!).Status ?? 400),
            };
        })
        .WithName("RecordSale").WithSummary("Record a sale (201), answer a replay of its saleId (200)")
        .WithJsonBody<SaleBody>()
        .Produces<SaleResult>(StatusCodes.Status201Created).Produces<SaleResult>()
        .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status500InternalServerError);

        till.MapPost("/returns", async (HttpRequest http, ApiBody body, ReturnRecorder recorder, TimeProvider clock, ILogger<TillSync> log, CancellationToken ct) =>
        {
            var request = ToRequest(await body.ReadAsync<ReturnBody>(http, ApiProblems.TillBodyLimit), clock.GetUtcNow());
            var counter = CounterOf(http);
            var outcome = await recorder.RecordReturnAsync(request, counter, ct);
            // A refused direct return is its 4xx answer (http.server.request.duration), not an item result.
            BackOfficeTelemetry.TillItem("return", "direct", outcome.Created ? "recorded" : "duplicate");
            log.LogDebug("Return {ReturnId} of sale {SaleId} from till {TillId} (direct): {Status}", request.ReturnId, request.SaleId, counter.TillId,
                outcome.Created ? "recorded" : "duplicate");
            return Results.Json(outcome.Return, body.Json, statusCode: outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        })
        .WithName("RecordReturn").WithSummary("Record goods brought back (201), answer a replay of its returnId (200)")
        .WithJsonBody<ReturnBody>()
        .Produces<ReturnResult>(StatusCodes.Status201Created).Produces<ReturnResult>()
        .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        till.MapPost("/sales/sync", async (HttpRequest http, ApiBody body, TillSync sync, ILogger<TillSync> log, CancellationToken ct) =>
        {
            var request = await body.ReadAsync<SyncBody>(http, ApiProblems.TillBodyLimit);
            if (request.Sales is null && request.Returns is null)
                return ApiProblems.Validation("sales", "sales (or returns) is required.");
            if (request.Sales?.Count > MaxSyncSales || request.Returns?.Count > MaxSyncSales)
                return ApiProblems.Validation(request.Sales?.Count > MaxSyncSales ? "sales" : "returns", $"At most {MaxSyncSales} per request.");
            var counter = CounterOf(http);

            // One at a time, each in its own transaction (inside the recorder): a rejected sale rolls back alone.
            var results = new List<SyncSaleResult>(request.Sales?.Count ?? 0);
            foreach (var element in request.Sales ?? [])
                results.Add(await sync.RecordSaleAsync(element, counter, "sync", ct));
            List<SyncReturnResult>? returned = null;
            if (request.Returns is not null)
            {
                returned = new List<SyncReturnResult>(request.Returns.Count);
                foreach (var element in request.Returns)
                    returned.Add(await sync.RecordReturnAsync(element, counter, "sync", ct));
            }
            if (request.Sales is not null) BackOfficeTelemetry.SyncBatch("sale", request.Sales.Count);
            if (request.Returns is not null) BackOfficeTelemetry.SyncBatch("return", request.Returns.Count);
            log.LogInformation("Sync from till {TillId}: {Sales} sales ({Recorded} recorded, {Duplicate} duplicate, {Rejected} rejected), {Returns} returns",
                counter.TillId, results.Count, results.Count(r => r.Status == "recorded"), results.Count(r => r.Status == "duplicate"),
                results.Count(r => r.Status == "rejected"), returned?.Count ?? 0);
            return Results.Json(new SyncResponse(results, returned), body.Json);
        })
        .WithName("SyncSales").WithSummary("Upload the offline queue: up to 500 sales (and returns), each recorded, a duplicate or rejected on its own")
        .WithJsonBody<SyncRequest>()
        .Produces<SyncResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    public static Counter CounterOf(HttpRequest http) =>
        new(http.HttpContext.User.Int(ApiClaims.OutletId), http.HttpContext.User.Int(ApiClaims.TillId));

    /// <summary>The engine's request from the till's body; what the body alone can tell is reported together with the engine's own checks.</summary>
    public static SaleRequest ToRequest(SaleBody body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(body.SaleId, out var saleId) || saleId == Guid.Empty)
            errors["saleId"] = [body.SaleId is null ? "saleId is required (a UUID made by the till)." : $"'{body.SaleId}' is not a UUID."];
        if (body.OccurredAt is null) errors["occurredAt"] = ["occurredAt is required."];
        for (var i = 0; i < Math.Min(body.Lines?.Count ?? 0, SaleRecorder.Bounds.MaxLines); i++)
            if (body.Lines![i] is { } line)
            {
                if (line.Quantity is null) errors[$"lines[{i}].quantity"] = ["quantity is required."];
                if (line.UnitPrice is null) errors[$"lines[{i}].unitPrice"] = ["unitPrice is required."];
            }
        for (var i = 0; i < Math.Min(body.Payments?.Count ?? 0, SaleRecorder.Bounds.MaxPayments); i++)
            if (body.Payments![i] is { Amount: null }) errors[$"payments[{i}].amount"] = ["amount is required."];

        var request = new SaleRequest(saleId, body.OccurredAt ?? now,
            (body.Lines ?? []).Select(l => l is null ? null! : new SaleLineRequest(l.Sku?.Trim() ?? "", l.Quantity ?? 1, l.UnitPrice ?? 0, l.LotNumber)).ToList(),
            body.Payments?.Select(p => p is null ? null! : new PaymentRequest(p.Method ?? "", p.Amount ?? 0)).ToList());
        try
        {
            SaleRecorder.Validate(request, now);
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors) errors.TryAdd(field, messages);
        }
        if (errors.Count > 0) throw new ValidationFailedException("The sale is not valid.", errors);
        return request;
    }

    public static ReturnRequest ToRequest(ReturnBody body, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(body.ReturnId, out var returnId) || returnId == Guid.Empty)
            errors["returnId"] = [body.ReturnId is null ? "returnId is required (a UUID made by the till)." : $"'{body.ReturnId}' is not a UUID."];
        if (!Guid.TryParse(body.SaleId, out var saleId) || saleId == Guid.Empty)
            errors["saleId"] = [body.SaleId is null ? "saleId of the original sale is required." : $"'{body.SaleId}' is not a UUID."];
        if (body.OccurredAt is null) errors["occurredAt"] = ["occurredAt is required."];
        if (body.Lines is null || body.Lines.Count == 0) errors["lines"] = ["A return needs at least one line."];
        for (var i = 0; i < Math.Min(body.Lines?.Count ?? 0, SaleRecorder.Bounds.MaxLines); i++)
        {
            if (body.Lines![i] is not { } line) { errors[$"lines[{i}]"] = ["A line is missing."]; continue; }
            if (string.IsNullOrWhiteSpace(line.Sku)) errors[$"lines[{i}].sku"] = ["sku is required."];
            if (line.Quantity is null or < 1 or > SaleRecorder.Bounds.MaxQuantity)
                errors[$"lines[{i}].quantity"] = [$"quantity must be a whole number from 1 to {SaleRecorder.Bounds.MaxQuantity:N0}."];
        }
        if (body.OccurredAt > now + SaleRecorder.FutureTolerance) errors["occurredAt"] = ["occurredAt is more than 5 minutes in the future."];
        else if (body.OccurredAt < now - SaleRecorder.Bounds.MaxAge) errors["occurredAt"] = ["occurredAt is more than 90 days in the past."];
        if (body.Lines?.Count > SaleRecorder.Bounds.MaxLines) errors["lines"] = [$"A return has at most {SaleRecorder.Bounds.MaxLines} lines."];
        if (errors.Count > 0) throw new ValidationFailedException("The return is not valid.", errors);
        return new ReturnRequest(returnId, saleId, body.OccurredAt!.Value,
            body.Lines!.Select(l => new ReturnLineRequest(l!.Sku!.Trim(), l.Quantity!.Value)).ToList(), body.Reason);
    }
}
