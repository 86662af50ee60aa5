using BackOffice.Core.Catalog;
using BackOffice.Core.Identity;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Core.Setup;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tills;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Core.Data;

/// <remarks>
/// Also the store of ASP.NET Core Data Protection keys (<see cref="IDataProtectionKeyContext"/>), so that every web server
/// of a farm decrypts the sign-in cookies and antiforgery tokens of the others. Kept here rather than in a second context in
/// the host: one context means one migrations set per provider and one connection string, and the package it needs
/// depends only on EF Core and Data Protection, not on the ASP.NET Core framework.
/// </remarks>
public class BackOfficeDb(DbContextOptions<BackOfficeDb> options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Outlet> Outlets => Set<Outlet>();
    public DbSet<OutletTaxRate> OutletTaxRates => Set<OutletTaxRate>();
    public DbSet<FirstRun> FirstRuns => Set<FirstRun>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductPrice> ProductPrices => Set<ProductPrice>();
    public DbSet<ProductBarcode> ProductBarcodes => Set<ProductBarcode>();
    public DbSet<Batch> Batches => Set<Batch>();
    public DbSet<Lots.Lot> Lots => Set<Lots.Lot>();
    public DbSet<StockMovement> Movements => Set<StockMovement>();
    public DbSet<Receipt> Receipts => Set<Receipt>();
    public DbSet<Transfer> Transfers => Set<Transfer>();
    public DbSet<Disposal> Disposals => Set<Disposal>();
    public DbSet<Discrepancy> Discrepancies => Set<Discrepancy>();
    public DbSet<Sale> Sales => Set<Sale>();
    public DbSet<SaleLine> SaleLines => Set<SaleLine>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<SalePayment> SalePayments => Set<SalePayment>();
    public DbSet<Return> Returns => Set<Return>();
    public DbSet<ReturnLine> ReturnLines => Set<ReturnLine>();
    public DbSet<ReturnAllocation> ReturnAllocations => Set<ReturnAllocation>();
    public DbSet<StockTake> StockTakes => Set<StockTake>();
    public DbSet<StockTakeLine> StockTakeLines => Set<StockTakeLine>();
    public DbSet<Till> Tills => Set<Till>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiKeyOutlet> ApiKeyOutlets => Set<ApiKeyOutlet>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SalesDay> SalesDays => Set<SalesDay>();
    public DbSet<RejectedSale> RejectedSales => Set<RejectedSale>();

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // Money: two decimals for prices and totals; costs keep four (unit costs of cheap goods).
        conventions.Properties<decimal>().HavePrecision(18, 2);
        conventions.Properties<string>().HaveMaxLength(256);
        conventions.Conventions.Replace<ForeignKeyIndexConvention>(services =>
            new ForeignKeyIndexes(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        // Filters and checks are SQL: PostgreSQL folds unquoted names to lower case, so there they are quoted.
        var postgres = Database.IsNpgsql();
        string Column(string name) => postgres ? $"\"{name}\"" : name;

        b.Entity<Outlet>(e =>
        {
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.TimeZoneId).HasMaxLength(64);
            e.Property(x => x.Address).HasMaxLength(500);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Culture).HasMaxLength(32);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasMany(x => x.TaxRates).WithOne().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<OutletTaxRate>(e =>
        {
            e.HasKey(x => new { x.OutletId, x.Category });
            e.Property(x => x.Category).HasMaxLength(64);
            e.Property(x => x.RatePercent).HasPrecision(6, 3);
        });
        b.Entity<FirstRun>(e =>
        {
            e.ToTable("FirstRun");
            // One row at most: the key is always FirstRun.TheOnlyId, so a second setup fails on the key.
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.AdminEmail).HasMaxLength(256);
        });

        b.Entity<Product>(e =>
        {
            e.Property(x => x.Sku).HasMaxLength(64);
            e.Property(x => x.Barcode).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => x.Sku).IsUnique();
            e.HasIndex(x => x.Barcode).IsUnique().HasFilter($"{Column("Barcode")} IS NOT NULL");
            e.HasIndex(x => x.Name);
            e.Property(x => x.TaxCategory).HasMaxLength(64).HasDefaultValue(TaxCategories.Standard);
            e.HasMany(x => x.Prices).WithOne().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Barcodes).WithOne(x => x.Product).HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ProductBarcode>(e =>
        {
            e.HasKey(x => new { x.ProductId, x.Key });
            e.Property(x => x.Code).HasMaxLength(Catalog.ProductBarcodes.MaxLength);
            e.Property(x => x.Key).HasMaxLength(Catalog.ProductBarcodes.MaxLength);
            // Every scan and search compares the key: no two products share a barcode, whichever way it was typed.
            e.HasIndex(x => x.Key).IsUnique();
        });
        b.Entity<ProductPrice>(e =>
        {
            e.HasKey(x => new { x.ProductId, x.Currency });
            e.Property(x => x.Currency).HasMaxLength(3);
        });

        b.Entity<Batch>(e =>
        {
            e.Property(x => x.LotNumber).HasMaxLength(64);
            e.Property(x => x.UnitCost).HasPrecision(18, 4);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne(x => x.Outlet).WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Product).WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            // FEFO candidate reads and available-quantity sums go through this index. It carries OnHand and Quarantined
            // so that the sums, which apply the sellable rule, are answered from the index alone (SQLite has no INCLUDE:
            // they are trailing key columns there).
            if (Database.IsSqlServer())
                SqlServerIndexBuilderExtensions.IncludeProperties(e.HasIndex(x => new { x.OutletId, x.ProductId, x.ExpiryDate }), x => new { x.OnHand, x.Quarantined });
            else if (postgres)
                NpgsqlIndexBuilderExtensions.IncludeProperties(e.HasIndex(x => new { x.OutletId, x.ProductId, x.ExpiryDate }), x => new { x.OnHand, x.Quarantined });
            else
                e.HasIndex(x => new { x.OutletId, x.ProductId, x.ExpiryDate, x.OnHand, x.Quarantined });
            // The expiry job's newly expired stock: batches on hand it has not marked, by expiry date. Filtered, so neither the
            // marked ones (the disposal lists) nor the sold-out ones are in it, and a run's read does not grow with them.
            e.HasIndex(x => new { x.OutletId, x.ExpiryDate }).HasDatabaseName("IX_Batches_UnmarkedOnHand")
                .HasFilter($"{Column("OnHand")} > 0 AND {Column("ExpiryMarkedAt")} IS NULL");
            // A lot's batches at every outlet: the recall, its trace and the quarantine of newly received batches.
            e.HasIndex(x => new { x.ProductId, x.LotNumber });
            e.ToTable(t => t.HasCheckConstraint("CK_Batches_OnHand_NotNegative", $"{Column("OnHand")} >= 0"));
        });

        b.Entity<Lots.Lot>(e =>
        {
            e.Property(x => x.LotNumber).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.ChangedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.ProductId, x.LotNumber }).IsUnique();
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<StockMovement>(e =>
        {
            e.ToTable("Movements");
            e.HasOne(x => x.Batch).WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Reference).HasMaxLength(80);
            e.Property(x => x.Note).HasMaxLength(500);
            e.HasIndex(x => x.BatchId);
            e.HasIndex(x => new { x.OutletId, x.CreatedAt });
            e.HasIndex(x => new { x.ProductId, x.CreatedAt });
            // The ledger report over every outlet, newest first: read in index order, stopping after a page.
            e.HasIndex(x => x.CreatedAt);
        });

        b.Entity<Receipt>(e => e.HasIndex(x => new { x.OutletId, x.ReceivedAt }));
        b.Entity<Transfer>();
        b.Entity<Disposal>(e =>
        {
            e.Property(x => x.Reference).HasMaxLength(DisposalService.MaxReferenceLength);
            e.HasIndex(x => new { x.OutletId, x.CreatedAt });
        });
        b.Entity<Discrepancy>(e =>
        {
            e.Property(x => x.Note).HasMaxLength(1000);
            e.HasIndex(x => new { x.Status, x.OutletId, x.CreatedAt });
            // The discrepancies report: by outlet and time, whatever the status.
            e.HasIndex(x => new { x.OutletId, x.CreatedAt });
        });

        b.Entity<Sale>(e =>
        {
            // Id is the till's saleId: never generated here, unique by being the key.
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.SaleId);
            e.HasMany(x => x.Payments).WithOne().HasForeignKey(x => x.SaleId);
            e.HasIndex(x => new { x.OutletId, x.OccurredAt });
            e.HasIndex(x => new { x.TillId, x.OccurredAt });
        });
        b.Entity<SaleLine>(e =>
        {
            e.HasMany(x => x.Allocations).WithOne().HasForeignKey(x => x.SaleLineId);
            e.Property(x => x.TaxCategory).HasMaxLength(64).HasDefaultValue(TaxCategories.Standard);
            e.Property(x => x.TaxRate).HasPrecision(6, 3);
            e.HasIndex(x => new { x.SaleId, x.LineNumber }).IsUnique();
            e.HasIndex(x => x.ProductId);
        });
        // No index on Allocations.BatchId (see ForeignKeyIndexes).
        b.Entity<Allocation>(e => e.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict));
        b.Entity<SalesDay>(e =>
        {
            // The key leads with the day: the sales report reads a range of days, over every outlet and product.
            e.HasKey(x => new { x.Day, x.OutletId, x.ProductId, x.TillId });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.OutletId, x.Day });
            e.HasIndex(x => new { x.ProductId, x.Day });
        });
        b.Entity<SalePayment>(e => e.Property(x => x.Method).HasMaxLength(32));

        b.Entity<Return>(e =>
        {
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasOne<Sale>().WithMany().HasForeignKey(x => x.SaleId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.ReturnId);
            e.HasIndex(x => x.SaleId);
            e.HasIndex(x => new { x.OutletId, x.OccurredAt });
        });
        b.Entity<ReturnLine>(e =>
        {
            e.HasMany(x => x.Batches).WithOne().HasForeignKey(x => x.ReturnLineId);
            e.Property(x => x.TaxCategory).HasMaxLength(64).HasDefaultValue(TaxCategories.Standard);
            e.Property(x => x.TaxRate).HasPrecision(6, 3);
        });
        b.Entity<ReturnAllocation>(e =>
            e.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict));

        b.Entity<StockTake>(e =>
        {
            e.Property(x => x.Note).HasMaxLength(1000);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.StockTakeId);
            e.HasIndex(x => new { x.OutletId, x.Status });
        });
        b.Entity<StockTakeLine>(e =>
        {
            e.HasOne<Batch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Restrict);
            // One line per (take, product, lot) and one per (take, product) for counts without a lot.
            // Two filtered unique indexes, because a unique index treats NULLs as distinct on both providers.
            e.HasIndex(x => new { x.StockTakeId, x.ProductId, x.BatchId }).IsUnique()
                .HasFilter($"{Column("BatchId")} IS NOT NULL").HasDatabaseName("UX_StockTakeLines_Take_Product_Batch");
            e.HasIndex(x => new { x.StockTakeId, x.ProductId }).IsUnique()
                .HasFilter($"{Column("BatchId")} IS NULL").HasDatabaseName("UX_StockTakeLines_Take_Product_NoBatch");
        });

        b.Entity<Till>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<RejectedSale>(e =>
        {
            // What the till sent and the field errors are kept whole (a body is at most 1 MiB).
            e.Property(x => x.Payload).Metadata.SetMaxLength(null);
            e.Property(x => x.Errors).Metadata.SetMaxLength(null);
            e.Property(x => x.PayloadHash).HasMaxLength(64);
            e.Property(x => x.Source).HasMaxLength(16);
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.SettlementNote).HasMaxLength(500);
            e.HasIndex(x => new { x.SaleId, x.PayloadHash }).IsUnique();
            e.HasIndex(x => new { x.Status, x.ReceivedAt });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Till>().WithMany().HasForeignKey(x => x.TillId).OnDelete(DeleteBehavior.Restrict);
        });
        // Key XML is a few hundred characters: not limited by the 256 convention.
        b.Entity<DataProtectionKey>(e => e.Property(x => x.Xml).Metadata.SetMaxLength(null));
        b.Entity<ApiKey>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.KeyHash).HasMaxLength(64);
            e.HasIndex(x => x.KeyHash).IsUnique();
            e.HasMany(x => x.Outlets).WithOne().HasForeignKey(x => x.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ApiKeyOutlet>(e =>
        {
            e.HasKey(x => new { x.ApiKeyId, x.OutletId });
            e.HasOne<Outlet>().WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<Notification>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Body).HasMaxLength(1000);
            e.HasOne(x => x.Outlet).WithMany().HasForeignKey(x => x.OutletId).OnDelete(DeleteBehavior.Restrict);
            // The database holds "one per outlet, kind and day", so two checks at once cannot both add one.
            e.HasIndex(x => new { x.OutletId, x.Kind, x.Day }).IsUnique();
            e.HasIndex(x => new { x.ReadAt, x.Day });
        });

        foreach (var fk in new[] { typeof(Receipt), typeof(Disposal), typeof(Discrepancy), typeof(Sale), typeof(Return), typeof(StockTake) })
            b.Entity(fk).HasOne(typeof(Outlet)).WithMany().HasForeignKey("OutletId").OnDelete(DeleteBehavior.Restrict);
        b.Entity<Discrepancy>().HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Entity<SaleLine>().HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Entity<ReturnLine>().HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Entity<StockTakeLine>().HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Entity<Transfer>().HasOne<Outlet>().WithMany().HasForeignKey(x => x.FromOutletId).OnDelete(DeleteBehavior.Restrict);
        b.Entity<Transfer>().HasOne<Outlet>().WithMany().HasForeignKey(x => x.ToOutletId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// EF indexes every foreign key by convention; this leaves out Allocations.BatchId. Nothing reads allocations by batch
/// (a recall finds a lot's sales through the ledger, Movements by BatchId), batches are never deleted, and a sale over
/// N batches would write N scattered pages of that index: it was a third of the cost of a 100-batch sale.
/// </summary>
internal sealed class ForeignKeyIndexes(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
{
    protected override IConventionIndex? CreateIndex(IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder) =>
        entityTypeBuilder.Metadata.ClrType == typeof(Allocation) && properties is [{ Name: nameof(Allocation.BatchId) }]
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
}
