using System.Text.Json;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using BackOfficeDb = BackOffice.Core.Data.BackOfficeDb;

namespace BackOffice.Web.Sales;

/// <summary>
/// Records what a till sends, one sale or return at a time, each standing alone: whatever makes one fail (bad input, a
/// conflict, a fault of the server) is that item's <c>rejected</c> with its problem, and a rejected sale is held for
/// managers (<see cref="RejectedSales"/>) so that the till may forget it. The sync route, the direct sale route and the
/// import of a till's export all go through here, so each records a sale exactly as the others would.
/// </summary>
public sealed class TillSync(SaleRecorder sales, ReturnRecorder returns, RejectedSales rejected, BackOfficeDb db, ApiBody body,
    TimeProvider clock, ILogger<TillSync> log)
{
    public async Task<SyncSaleResult> RecordSaleAsync(JsonElement element, Counter counter, string source, CancellationToken ct)
    {
        var saleId = IdOf(element, "saleId");
        // Every line logged while this sale is recorded carries which sale and which till (never what authenticated it).
        using var scope = log.BeginScope(new Dictionary<string, object?> { ["SaleId"] = saleId, ["TillId"] = counter.TillId, ["OutletId"] = counter.OutletId });
        try
        {
            var outcome = await sales.RecordSaleAsync(SaleEndpoints.ToRequest(body.Parse<SaleBody>(element, "body"), clock.GetUtcNow()), counter, ct);
            var status = outcome.Created ? "recorded" : "duplicate";
            BackOfficeTelemetry.TillItem("sale", source, status);
            log.LogDebug("Sale {SaleId} from till {TillId} ({Source}): {Status}", saleId, counter.TillId, source, status);
            return new SyncSaleResult(outcome.Sale.SaleId.ToString("D"), status, null, outcome.Sale);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var problem = ProblemOf(e, "sale", saleId, counter);
            var held = await HoldAsync(saleId, element, counter, source, problem, ct);
            if (held) problem.Extensions["held"] = true;
            BackOfficeTelemetry.TillItem("sale", source, held ? "held" : "rejected");
            log.LogWarning("Sale {SaleId} from till {TillId} ({Source}) rejected with {Status}: {Problem}; held for managers: {Held}",
                saleId, counter.TillId, source, problem.Status, problem.Title, held);
            return new SyncSaleResult(saleId, "rejected", problem, null, held);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<SyncReturnResult> RecordReturnAsync(JsonElement element, Counter counter, string source, CancellationToken ct)
    {
        var returnId = IdOf(element, "returnId");
        using var scope = log.BeginScope(new Dictionary<string, object?> { ["ReturnId"] = returnId, ["TillId"] = counter.TillId, ["OutletId"] = counter.OutletId });
        try
        {
            var outcome = await returns.RecordReturnAsync(SaleEndpoints.ToRequest(body.Parse<ReturnBody>(element, "body"), clock.GetUtcNow()), counter, ct);
            var status = outcome.Created ? "recorded" : "duplicate";
            BackOfficeTelemetry.TillItem("return", source, status);
            log.LogDebug("Return {ReturnId} of sale {SaleId} from till {TillId} ({Source}): {Status}", returnId, outcome.Return.SaleId, counter.TillId, source, status);
            return new SyncReturnResult(outcome.Return.ReturnId.ToString("D"), status, null, outcome.Return);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A rejected return is not held: the till keeps it and sends it again.
            var problem = ProblemOf(e, "return", returnId, counter);
            BackOfficeTelemetry.TillItem("return", source, "rejected");
            log.LogWarning("Return {ReturnId} from till {TillId} ({Source}) rejected with {Status}: {Problem}", returnId, counter.TillId, source, problem.Status, problem.Title);
            return new SyncReturnResult(returnId, "rejected", problem, null);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The problem for bad input, or a plain 500 problem for a fault (logged; its message is not shown to the till).</summary>
    private ProblemDetails ProblemOf(Exception e, string what, string? id, Counter counter)
    {
        if (ApiProblems.ProblemFor(e) is ProblemDetails problem) return problem;
        log.LogError(e, "The {What} {Id} from till {TillId} could not be recorded", what, id, counter.TillId);
        return new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError, Title = $"The server could not record this {what}.",
            Detail = "It is kept for a manager to record once the fault is mended.", Type = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        };
    }

    private async Task<bool> HoldAsync(string? saleId, JsonElement element, Counter counter, string source, ProblemDetails problem, CancellationToken ct)
    {
        if (!Guid.TryParse(saleId, out var id) || id == Guid.Empty) return false;
        var errors = problem is HttpValidationProblemDetails { Errors.Count: > 0 } v ? JsonSerializer.Serialize(v.Errors) : null;
        try
        {
            return await rejected.HoldAsync(new RejectedSaleHold(id, counter.OutletId, counter.TillId, element.GetRawText(), source,
                problem.Title ?? "Rejected", errors, problem.Status ?? 400), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Not held: the till keeps the sale and sends it again later.
            log.LogError(e, "Rejected sale {SaleId} from till {TillId} could not be held", saleId, counter.TillId);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static string? IdOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
