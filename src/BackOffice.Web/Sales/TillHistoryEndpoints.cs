using System.Globalization;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Web.Hosting;
using BackOffice.Web.Tills;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Sales;

/// <summary>
/// Additions to api.md for the till (added, nothing changed): GET /api/till/sales/{saleId} to return goods from a sale made
/// on another till of the outlet, and GET /api/till/z-report?date=yyyy-MM-dd for the till's end of day.
/// </summary>
public static class TillHistoryEndpoints
{
    public static void MapTillHistory(this WebApplication app)
    {
        var till = app.TillRoutes();

        till.MapGet("/sales/{saleId}", async (string saleId, HttpContext http, TillHistory history, CancellationToken ct) =>
        {
            if (!Guid.TryParse(saleId, out var id)) return ApiProblems.Validation("saleId", "saleId must be a UUID.");
            var sale = await history.FindSaleAsync(id, http.User.Int(ApiClaims.OutletId), ct);
            return sale is null ? ApiProblems.NotFound("No sale with this id at this till's outlet.") : Results.Ok(sale);
        })
        .WithName("GetTillSale").WithSummary("A sale of the till's outlet (any till), to take a return of it")
        .Produces<TillSale>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        till.MapGet("/z-report", async (string? date, HttpContext http, TillHistory history, TimeProvider clock, BackOfficeDb db, BaseCurrency baseCurrency,
            CancellationToken ct) =>
        {
            var zone = http.User.FindFirst(ApiClaims.OutletTimeZone)!.Value;
            DateOnly day;
            if (string.IsNullOrEmpty(date)) day = ExpiryRule.TodayAt(TimeZoneInfo.FindSystemTimeZoneById(zone), clock.GetUtcNow());
            else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                return ApiProblems.Validation("date", "date must be yyyy-MM-dd.");
            var outletId = http.User.Int(ApiClaims.OutletId);
            var currency = baseCurrency.Of(await db.Outlets.Where(o => o.Id == outletId).Select(o => o.Currency).FirstOrDefaultAsync(ct));
            return Results.Ok(await history.DayAsync(http.User.Int(ApiClaims.TillId), zone, day, currency, ct));
        })
        .WithName("GetZReport").WithSummary("The till's day (yyyy-MM-dd, in its outlet's time zone; default today) as the server recorded it")
        .Produces<TillDayFigures>().ProducesValidationProblem();
    }
}
