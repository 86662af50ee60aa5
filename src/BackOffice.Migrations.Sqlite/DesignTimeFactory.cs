using BackOffice.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BackOffice.Migrations.Sqlite;

/// <summary>Lets `dotnet ef` build the SQLite model without the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BackOfficeDb>
{
    public BackOfficeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BackOfficeDb>()
            .UseBackOfficeDatabase(DatabaseProvider.Sqlite, "Data Source=design-time.db").Options);
}
