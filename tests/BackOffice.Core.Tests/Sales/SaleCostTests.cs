using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Sales;

/// <summary>A sale's round trips must not grow with the number of batches it allocates from.</summary>
public sealed class SaleCostTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_one_line_sale_costs_the_same_three_commands_over_1_10_and_100_batches()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var counts = new List<int>();
        foreach (var batches in new[] { 1, 10, 100 })
        {
            var product = await shop.ProductAsync($"SKU-{batches}");
            for (var i = 0; i < batches; i++)
                await shop.BatchAsync(outlet, product, 1, shop.Today.AddDays(10 + i));

            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            // Sells every unit, so the sale allocates from every batch.
            var outcome = await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(($"SKU-{batches}", batches)), new Counter(outlet.Id));
            outcome.Sale.Lines[0].Allocations.Count.ShouldBe(batches);
            counts.Add(counter.Count);
        }

        counts.ShouldAllBe(c => c == counts[0], $"commands per sale at 1/10/100 batches: {string.Join("/", counts)}");
        counts[0].ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_ten_line_sale_costs_the_same_whatever_the_batches()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var counts = new List<int>();
        foreach (var batchesPerProduct in new[] { 1, 20 })
        {
            var lines = new List<(string, int)>();
            for (var p = 0; p < 10; p++)
            {
                var product = await shop.ProductAsync($"P{batchesPerProduct}-{p}");
                for (var i = 0; i < batchesPerProduct; i++) await shop.BatchAsync(outlet, product, 1, shop.Today.AddDays(10 + i));
                lines.Add((product.Sku, batchesPerProduct));
            }
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(lines.ToArray()), new Counter(outlet.Id));
            counts.Add(counter.Count);
        }
        counts[1].ShouldBe(counts[0]);
        counts[0].ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_sale_sends_the_same_statement_text_for_one_line_and_for_ten()
    {
        // A list is one parameter, so the reads' text never depends on the sale's size and EF renders it once. On the server
        // databases the rows are one JSON parameter per table too, so the whole sale is the same three statements, which
        // PostgreSQL parses and plans once per connection (prepared statements). SQLite, which keeps no plans, writes VALUES lists.
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var texts = new List<IReadOnlyList<string>>();
        foreach (var lineCount in new[] { 1, 10 })
        {
            var lines = new List<(string, int)>();
            for (var p = 0; p < lineCount; p++)
            {
                var product = await shop.ProductAsync($"T{lineCount}-{p}");
                for (var i = 0; i < 2; i++) await shop.BatchAsync(outlet, product, 1, shop.Today.AddDays(10 + i));
                lines.Add((product.Sku, 2));
            }
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(lines.ToArray()), new Counter(outlet.Id));
            texts.Add(counter.Commands);
        }
        texts[1].Take(2).ShouldBe(texts[0].Take(2), "the two reads");
        if (ShopDatabase.Provider != DatabaseProvider.Sqlite) texts[1].ShouldBe(texts[0]);
    }

    [Theory]
    [InlineData("Host=db;Username=app", 64)]
    [InlineData("Host=db;Username=app;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Username=app;MaxAutoPrepare=5", 5)]
    public void PostgreSql_connections_prepare_repeated_statements_unless_the_connection_string_says_otherwise(string given, int expected) =>
        new Npgsql.NpgsqlConnectionStringBuilder(BackOfficeDatabase.WithAutoPrepare(given)).MaxAutoPrepare.ShouldBe(expected);

    [PostgreSqlFact]
    public async Task On_PostgreSql_the_sale_statements_become_prepared_statements_of_the_connection()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        var product = await shop.ProductAsync("PREP");
        await shop.BatchAsync(outlet, product, 10, shop.Today.AddDays(30));
        await using var db = _database.Open();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
            await new SaleRecorder(db, _clock, new RecordingNotifier()).RecordSaleAsync(Shop.Sale(("PREP", 1)), new Counter(outlet.Id));
        var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
        prepared.ShouldContain(sql => sql.Contains("FROM \"Batches\"") && sql.Contains("FOR UPDATE"), "the candidate read");
        prepared.ShouldContain(sql => sql.Contains("INSERT INTO \"Sales\""), "the sale's write");
    }
}
