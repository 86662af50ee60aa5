using System.Globalization;
using BackOffice.Core.Lots;
using BackOffice.Web.Hosting;
using BackOffice.Web.Operations;
using CsvHelper;

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

    /// <summary>The Recalls page's export: the trace of one lot as CSV, a row per outlet and a row per sale (managers only).</summary>
    public static void MapLotPages(this WebApplication app) =>
        app.MapGet("/lots/trace.csv", async (string? sku, string? lot, HttpContext http, LotRecalls lots, TimeProvider clock, CancellationToken ct) =>
        {
            if (await lots.TraceAsync(sku ?? "", lot ?? "", ct) is not { } trace) return Results.NotFound();
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"lot-{FileSafe(trace.Sku)}-{FileSafe(trace.LotNumber)}-{clock.GetUtcNow():yyyy-MM-dd}.csv\"";
            await using var csv = CsvWriter.Create(http.Response.Body, CsvWriterOptions.Default, leaveOpen: true);
            await csv.WriteRecordAsync(["Row", "Sku", "LotNumber", "Status", "Outlet", "Till", "SaleId", "OccurredAt", "Quantity", "Received", "OnHand", "Sold",
                "Returned", "TransferredIn", "TransferredOut", "Disposed"], ct);
            string N(int n) => n.ToString(CultureInfo.InvariantCulture);
            var status = trace.Status;
            await csv.WriteRecordAsync(["lot", Text(trace.Sku), Text(trace.LotNumber), status, "", "", "", "", "", N(trace.Received), N(trace.OnHand), N(trace.Sold),
                N(trace.Returned), "", "", N(trace.Disposed)], ct);
            foreach (var o in trace.Outlets)
                await csv.WriteRecordAsync(["outlet", Text(trace.Sku), Text(trace.LotNumber), status, Text(o.OutletCode), "", "", "", "", N(o.Received), N(o.OnHand), N(o.Sold),
                    N(o.Returned), N(o.TransferredIn), N(o.TransferredOut), N(o.Disposed)], ct);
            foreach (var sale in trace.Sales)
                await csv.WriteRecordAsync(["sale", Text(trace.Sku), Text(trace.LotNumber), status, Text(sale.OutletCode), Text(sale.TillName ?? ""), sale.SaleId.ToString(),
                    sale.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), N(sale.Quantity), "", "", "", "", "", "", ""], ct);
            await csv.FlushAsync(ct);
            return Results.Empty;
        }).RequireAuthorization(Policies.BackOffice);

    // Text a spreadsheet would run as a formula is marked as text, as the reports' CSVs do.
    private static string Text(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;

    private static string FileSafe(string text) => string.Concat(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

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
