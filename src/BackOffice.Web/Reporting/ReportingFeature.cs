using BackOffice.Core.Data;
using BackOffice.Core.Outlets;
using BackOffice.Core.Reporting;
using BackOffice.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Reporting;

public static class ReportingFeature
{
    public static void AddReporting(this WebApplicationBuilder builder)
    {
        // Money of outlets without a currency of their own is in the chain's base currency (api.md, "Money").
        var baseCurrency = builder.Configuration["BackOffice:BaseCurrency"] ?? BaseCurrency.Default;
        if (!OutletRules.Currencies.Contains(baseCurrency))
            throw new InvalidOperationException($"BackOffice:BaseCurrency '{baseCurrency}' is not an ISO 4217 currency code such as GBP, EUR or USD.");
        builder.Services.AddSingleton(new BaseCurrency(baseCurrency));
        builder.Services.AddScoped<Reports>();
        builder.Services.AddScoped<Dashboard>();
    }

    /// <summary>
    /// GET /reports/{name}.csv with the page's filters: the rows the page shows, every page of them, streamed as they are
    /// read from the database (memory stays flat however long the ledger).
    /// </summary>
    public static void MapReporting(this WebApplication app)
    {
        app.MapGet("/reports/{name}.csv", async (string name, HttpContext http, IDbContextFactory<BackOfficeDb> factory, TimeProvider clock,
            BaseCurrency baseCurrency, CancellationToken ct) =>
        {
            ReportQuery query;
            try
            {
                query = ReportQuery.Parse(http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
            }
            catch (ValidationFailedException e)
            {
                return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: e.Message);
            }
            if (!CsvExport.Names.Contains(name)) return Results.NotFound();
            return new CsvResult(name, query, factory, clock, baseCurrency);
        }).RequireAuthorization(Policies.BackOffice);
    }

    private sealed class CsvResult(string name, ReportQuery query, IDbContextFactory<BackOfficeDb> factory, TimeProvider clock, BaseCurrency baseCurrency) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var ct = http.RequestAborted;
            await using var db = await factory.CreateDbContextAsync(ct);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{CsvExport.FileName(name, query, clock.GetUtcNow())}\"";
            try
            {
                await CsvExport.WriteAsync(http.Response.Body, name, query, db, clock, baseCurrency, ct);
            }
            catch (ValidationFailedException e) when (!http.Response.HasStarted)
            {
                http.Response.Headers.ContentDisposition = default;
                await Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: e.Message).ExecuteAsync(http);
            }
        }
    }
}
