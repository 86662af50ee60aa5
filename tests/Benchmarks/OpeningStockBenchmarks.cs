using System.Text;
using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>
/// The opening stock import end to end: parse a 50,000-row CSV (5 outlets × 2,000 products × 5 lots, a tenth of the rows
/// naming the product by barcode), check it, receive it (one receipt per outlet, one transaction). Target: under a minute.
/// Each iteration starts from an empty stock, so every run receives all rows.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class OpeningStockBenchmarks
{
    private BenchDatabase _db = null!;
    private byte[] _csv = [];

    [ParamsSource(nameof(Providers))]
    public BackOffice.Core.Data.DatabaseProvider Provider { get; set; }

    public static IEnumerable<BackOffice.Core.Data.DatabaseProvider> Providers => BenchDatabase.Providers;

    [Params(50_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchDatabase(Provider);
        _db.Create(batches: 0, unitsPerBatch: 1);
        const int outlets = 5, products = 2_000;
        using (var db = _db.Open())
        {
            for (var o = 1; o <= outlets; o++) db.Outlets.Add(new Outlet { Code = $"OPEN-{o}", Name = $"Opening {o}", TimeZoneId = "Europe/Paris" });
            var now = DateTime.UtcNow;
            for (var p = 1; p <= products; p++)
                db.Products.Add(new Product { Sku = $"OS-{p:D5}", Barcode = $"{5_000_000_000_000 + p}", Barcodes = [ProductBarcode.For($"{5_000_000_000_000 + p}")], Name = $"Opening {p}", Price = 2m, TracksExpiry = p % 4 != 0, CreatedAt = now, UpdatedAt = now });
            db.SaveChanges();
        }
        var expiry = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(200).ToString("yyyy-MM-dd");
        var csv = new StringBuilder("outletCode,sku,barcode,lotNumber,expiryDate,quantity,unitCost\n");
        for (var i = 0; i < Rows; i++)
        {
            var outlet = 1 + i % outlets;
            var product = 1 + i / outlets % products;
            var lot = i / (outlets * products);
            var tracks = product % 4 != 0;
            var (sku, barcode) = i % 10 == 0 ? ("", $"{5_000_000_000_000 + product}") : ($"OS-{product:D5}", "");
            csv.Append($"OPEN-{outlet},{sku},{barcode},L{lot},{(tracks ? expiry : "")},{1 + i % 40},{1 + i % 7}.25\n");
        }
        _csv = Encoding.UTF8.GetBytes(csv.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [IterationSetup]
    public void Empty()
    {
        using var db = _db.Open();
        db.Movements.ExecuteDelete();
        db.Batches.ExecuteDelete();
        db.Receipts.ExecuteDelete();
    }

    [Benchmark]
    public async Task<int> ImportOpeningStock()
    {
        await using var db = _db.Open();
        var import = new OpeningStockImport(db, TimeProvider.System, NoStockChangeNotifier.Instance);
        using var text = new StreamReader(new MemoryStream(_csv));
        var file = OpeningStockImport.Parse(text, "opening.csv");
        await import.CheckAsync(file);
        if (file.Ready != Rows) throw new InvalidOperationException($"{file.Ready} rows ready, expected {Rows}: {OpeningStockImport.Why(file.Rows.First(r => r.Status != OpeningStockRowStatus.Ready))}");
        var receipts = await import.ImportAsync(file, "bench");
        return receipts.Sum(r => r.Rows);
    }
}
