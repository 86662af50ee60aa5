using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BackOffice.Migrations.PostgreSql;

/// <summary>Lets `dotnet ef` build the PostgreSQL model without the web host (BACKOFFICE_POSTGRES for `database update`).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BackOfficeDb>
{
    public BackOfficeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.PostgreSql,
                Environment.GetEnvironmentVariable("BACKOFFICE_POSTGRES") ?? "Host=localhost;Database=backoffice;Username=backoffice").Options);
}
