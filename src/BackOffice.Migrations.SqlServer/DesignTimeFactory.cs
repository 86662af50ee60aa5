using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BackOffice.Migrations.SqlServer;

/// <summary>
/// Lets `dotnet ef` build the SQL Server model and scripts without a server. `dotnet ef database update`
/// takes the real connection string from BACKOFFICE_SQLSERVER (or --connection).
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BackOfficeDb>
{
    public BackOfficeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.SqlServer,
                Environment.GetEnvironmentVariable("BACKOFFICE_SQLSERVER")
                ?? "Server=localhost;Database=BackOffice;Integrated Security=true;TrustServerCertificate=true").Options);
}
