using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Hosting;

public static class HealthSetup
{
    /// <summary>GET /healthz: 200 when the database answers a query, 503 otherwise.</summary>
    public static void MapHealth(this WebApplication app) =>
        app.MapGet("/healthz", async (BackOfficeDb db, CancellationToken ct) =>
        {
            try
            {
                await db.Outlets.AnyAsync(ct);
                return Results.Text("healthy", statusCode: StatusCodes.Status200OK);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text("database unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous().ExcludeFromDescription();
}
