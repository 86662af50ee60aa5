using BackOffice.Web.Account;
using BackOffice.Web.Catalog;
using BackOffice.Web.Hosting;
using BackOffice.Web.Inventory;
using BackOffice.Web.Jobs;
using BackOffice.Web.Lots;
using BackOffice.Web.Operations;
using BackOffice.Web.Outlets;
using BackOffice.Web.Reporting;
using BackOffice.Web.Sales;
using BackOffice.Web.Setup;
using BackOffice.Web.StockTakes;
using BackOffice.Web.Tills;

var builder = WebApplication.CreateBuilder(args);

// The host: configuration, database, sign-in and bearer schemes, API plumbing, proxies and headers, limits, the Blazor UI.
builder.AddSharedDevelopmentSettings();
builder.AddBackOfficeDatabase();
builder.AddBackOfficeIdentity();
builder.AddBackOfficeApi();
builder.AddBackOfficeSecurity();
builder.AddBackOfficeRateLimits();
builder.AddBackOfficeUi();

// Operations: the API's OpenAPI document and reference page, metrics and traces.
builder.AddApiReference();
builder.AddTelemetry();

// The features.
builder.AddAccount();
builder.AddSetup();
builder.AddOutlets();
builder.AddCatalog();
builder.AddInventory();
builder.AddLots();
builder.AddStockTakes();
builder.AddSales();
builder.AddTills();
builder.AddReporting();
builder.AddJobs();

var app = builder.Build();

await app.PrepareDatabaseAsync(args);

app.UseBackOfficePipeline();
app.MapHealth();
app.MapApiReference();
app.MapMetrics();
app.MapAccount();
app.MapCatalog();
app.MapInventory();
app.MapLots();
app.MapSales();
app.MapTills();
app.MapReporting();
app.MapJobs();
app.MapBackOfficeUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
