using BackOffice.Web.Hosting;
using BackOffice.Web.Sales;

var builder = WebApplication.CreateBuilder(args);

builder.AddSharedDevelopmentSettings();
builder.AddBackOfficeDatabase();
builder.AddBackOfficeJobs();
builder.AddBackOfficeIdentity();
builder.AddBackOfficeUi();
builder.AddBackOfficeApi();
builder.AddReports();

var app = builder.Build();

await app.PrepareDatabaseAsync(args);

app.UseBackOfficePipeline();
app.MapHealth();
app.MapAccount();
app.MapBackOfficeJobs();
app.MapTillApp();
app.MapBackOfficeApi();
app.MapTillHistory();
app.MapReports();
app.MapBackOfficeUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
