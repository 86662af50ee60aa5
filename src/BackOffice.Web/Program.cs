using BackOffice.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddSharedDevelopmentSettings();
builder.AddBackOfficeDatabase();
builder.AddBackOfficeIdentity();
builder.AddBackOfficeUi();
builder.AddReports();

var app = builder.Build();

await app.PrepareDatabaseAsync(args);

app.UseBackOfficePipeline();
app.MapHealth();
app.MapAccount();
app.MapTillApp();
app.MapReports();
app.MapBackOfficeUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
