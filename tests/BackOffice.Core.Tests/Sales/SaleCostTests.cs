using BackOffice.Core.Inventory;
using BackOffice.Core.Sales;
using BackOffice.Core.Tests.Support;

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
}
