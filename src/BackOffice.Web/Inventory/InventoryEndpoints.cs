using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Lots;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Inventory;

public sealed record ReceiptBody(string? OutletCode, List<ReceiptLineBody?>? Lines, string? Reference = null);

/// <summary>A receipt line: <c>gs1</c>, a scanned GS1 element string, may stand instead of sku, lotNumber and expiryDate.</summary>
public sealed record ReceiptLineBody(string? Sku, int? Quantity, decimal? UnitCost, string? LotNumber = null, DateOnly? ExpiryDate = null, string? Gs1 = null);

public sealed record StockResponse(string OutletCode, IReadOnlyList<StockResponseItem> Items);

/// <summary>onHand = available + expired + quarantined (units of recalled lots, expired or not).</summary>
public sealed record StockResponseItem(string Sku, int OnHand, int Available, int Expired, int ReorderLevel, bool LowStock, int Quarantined);

public static class InventoryEndpoints
{
    /// <summary>POST /api/receipts and GET /api/stock/{outletCode} for integrations (API key).</summary>
    public static void MapInventoryApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicies.Integration).RequireRateLimiting(RateLimitPolicies.Api)
            .WithApiProblems().WithTags("Integration").WithCredentialProblems();

        api.MapPost("/receipts", async (HttpRequest http, ApiBody body, InventoryService inventory, BackOfficeDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var receipt = await body.ReadAsync<ReceiptBody>(http);
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(receipt.OutletCode)) errors["outletCode"] = ["outletCode is required."];
            if (receipt.Reference is { Length: > 256 }) errors["reference"] = ["reference is at most 256 characters."];
            for (var i = 0; i < (receipt.Lines?.Count ?? 0); i++)
            {
                if (receipt.Lines![i] is not { } line) { errors[$"lines[{i}]"] = ["A line is missing."]; continue; }
                if (line.Quantity is null) errors[$"lines[{i}].quantity"] = ["quantity is required."];
                if (line.UnitCost is null) errors[$"lines[{i}].unitCost"] = ["unitCost is required."];
                if (line.Gs1 is not null && (line.Sku is not null || line.LotNumber is not null || line.ExpiryDate is not null))
                    errors[$"lines[{i}].gs1"] = ["Give gs1, or sku with lotNumber and expiryDate, not both: the GS1 code holds the product, lot and expiry."];
            }
            if (errors.Count > 0) return ApiProblems.Validation("The receipt is not valid.", errors);
            var problems = new Problems();
            var scanned = await Packs.ReadReceiptLinesAsync(db, (receipt.Lines ?? []).Select(l => l!.Gs1).ToList(), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), problems, ct);
            problems.ThrowIfAny("The receipt is not valid.");
            if (!http.HttpContext.User.MayUseOutlet(receipt.OutletCode!.Trim()))
                return ApiProblems.Forbidden("This API key may not receive goods at this outlet.", $"It is limited to other outlets than '{receipt.OutletCode.Trim()}'.");

            var result = await inventory.ReceiveAsync(new ReceiveGoods(receipt.OutletCode!.Trim(), receipt.Reference,
                (receipt.Lines ?? []).Select((l, i) => scanned.TryGetValue(i, out var pack)
                    ? new ReceiveLine(pack.Sku, pack.LotNumber, pack.ExpiryDate, l!.Quantity!.Value, l.UnitCost!.Value)
                    : new ReceiveLine(l!.Sku?.Trim() ?? "", l.LotNumber, l.ExpiryDate, l.Quantity!.Value, l.UnitCost!.Value)).ToList()),
                http.HttpContext.User.Identity?.Name, ct);
            return Results.Json(result, body.Json, statusCode: StatusCodes.Status201Created);
        })
        .RequireAuthorization(ApiPolicies.Scope(Core.Tills.ApiKeyScopes.Receipts))
        .WithName("ReceiveGoods").WithSummary("Receive a delivery into batches at an outlet (all lines or none)")
        .WithJsonBody<ReceiptBody>()
        .Produces<ReceiptResult>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/stock/{outletCode}", async (string outletCode, HttpContext http, BackOfficeDb db, TimeProvider clock, CancellationToken ct) =>
        {
            if (!http.User.MayUseOutlet(outletCode))
                return ApiProblems.Forbidden("This API key may not read the stock of this outlet.", $"It is limited to other outlets than '{outletCode}'.");
            var outlet = await db.Outlets.Where(o => o.Code == outletCode).Select(o => new { o.Id, o.Code, o.TimeZoneId }).FirstOrDefaultAsync(ct);
            if (outlet is null) return ApiProblems.NotFound($"Unknown outlet '{outletCode}'.");
            var today = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(outlet.TimeZoneId), clock.GetUtcNow());
            var stock = await db.StockAt(outlet.Id, today, db.Products.Where(p => p.Active).OrderBy(p => p.Sku)).ToListAsync(ct);
            return Results.Ok(new StockResponse(outlet.Code,
                stock.Select(s => new StockResponseItem(s.Sku, s.OnHand, s.Available, s.Expired, s.ReorderLevel, s.LowStock, s.Quarantined)).ToList()));
        })
        .RequireAuthorization(ApiPolicies.Scope(Core.Tills.ApiKeyScopes.Stock))
        .WithName("GetStock").WithSummary("Stock of every active product at an outlet")
        .Produces<StockResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
