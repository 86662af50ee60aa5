using System.Diagnostics;
using System.Globalization;
using BackOffice.Core.Catalog;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Benchmarks;

/// <summary>
/// A year of history for the report timings: 3 outlets, 5,000 products, 50,000 batches and 1,000,000 movements
/// (50,000 receipts, ~900,000 sale movements in ~300,000 three-line sales with their allocations, ~50,000 adjustments),
/// a shortfall now and then, and a monthly stock take per outlet. Day by day, so ids follow time as they do in a shop.
/// Written with prepared SQLite statements in EF's storage formats; every batch's on hand is the sum of its movements.
/// </summary>
public static class HistoryGenerator
{
    public const int Products = 5_000, Batches = 50_000, Days = 365, SalesPerDay = 822, LinesPerSale = 3, AdjustmentsPerDay = 137;

    public static void Run(string path, DateTime now)
    {
        var clock = Stopwatch.StartNew();
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        var options = new DbContextOptionsBuilder<BackOfficeDb>().UseBackOfficeDatabase(DatabaseProvider.Sqlite, $"Data Source={path}").Options;
        int[] outletIds;
        int[] productIds;
        decimal[] prices;
        using (var db = new BackOfficeDb(options))
        {
            db.Database.Migrate();
            var outlets = new[] { ("LDN-01", "Europe/London"), ("PAR-01", "Europe/Paris"), ("NYC-01", "America/New_York") }
                .Select(o => new Outlet { Code = o.Item1, Name = o.Item1, TimeZoneId = o.Item2 }).ToList();
            db.Outlets.AddRange(outlets);
            var random = new Random(7);
            var products = Enumerable.Range(1, Products).Select(i => new Product
            {
                Sku = $"SKU-{i:D5}", Barcode = $"{4000000000000L + i}", Name = $"Product {i:D5}", Price = Math.Round(1m + (decimal)random.NextDouble() * 30m, 2),
                ReorderLevel = random.Next(5, 40), TracksExpiry = i % 10 != 0, CreatedAt = now.AddDays(-400), UpdatedAt = now.AddDays(-400),
            }).ToList();
            db.Products.AddRange(products);
            db.SaveChanges();
            outletIds = outlets.Select(o => o.Id).ToArray();
            productIds = products.Select(p => p.Id).ToArray();
            prices = products.Select(p => p.Price).ToArray();
        }

        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var pragma = connection.CreateCommand()) { pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"; pragma.ExecuteNonQuery(); }
        using var tx = connection.BeginTransaction();
        var insertBatch = Prepare(connection, tx, "INSERT INTO \"Batches\" (\"Id\",\"OutletId\",\"ProductId\",\"LotNumber\",\"ExpiryDate\",\"QuantityReceived\",\"OnHand\",\"UnitCost\",\"ReceivedAt\",\"Version\") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,0)", 9);
        var updateBatch = Prepare(connection, tx, "UPDATE \"Batches\" SET \"OnHand\" = $2 WHERE \"Id\" = $1", 2);
        var insertMovement = Prepare(connection, tx, "INSERT INTO \"Movements\" (\"BatchId\",\"OutletId\",\"ProductId\",\"Kind\",\"Quantity\",\"Reference\",\"UserName\",\"CreatedAt\") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", 8);
        var insertSale = Prepare(connection, tx, "INSERT INTO \"Sales\" (\"Id\",\"OutletId\",\"OccurredAt\",\"OccurredOffsetMinutes\",\"RecordedAt\",\"Total\",\"ContentHash\") VALUES ($1,$2,$3,$4,$3,$5,'generated')", 5);
        var insertLine = Prepare(connection, tx, "INSERT INTO \"SaleLines\" (\"Id\",\"SaleId\",\"LineNumber\",\"ProductId\",\"Quantity\",\"UnitPrice\",\"Allocated\",\"Shortfall\") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", 8);
        var insertAllocation = Prepare(connection, tx, "INSERT INTO \"Allocations\" (\"SaleLineId\",\"BatchId\",\"Quantity\") VALUES ($1,$2,$3)", 3);
        var insertDiscrepancy = Prepare(connection, tx, "INSERT INTO \"Discrepancies\" (\"OutletId\",\"ProductId\",\"Kind\",\"Quantity\",\"Reference\",\"CreatedAt\",\"Status\") VALUES ($1,$2,1,$3,$4,$5,0)", 5);
        var insertTake = Prepare(connection, tx, "INSERT INTO \"StockTakes\" (\"OutletId\",\"Status\",\"Blind\",\"OpenedAt\",\"SnapshotAt\",\"PostedAt\") VALUES ($1,1,0,$2,$2,$2); SELECT last_insert_rowid();", 2);
        var insertTakeLine = Prepare(connection, tx, "INSERT INTO \"StockTakeLines\" (\"StockTakeId\",\"ProductId\",\"BatchId\",\"Expected\",\"Counted\",\"NeedsRecount\") VALUES ($1,$2,$3,$4,$5,0)", 5);

        var rng = new Random(42);
        var batches = new List<GeneratedBatch>(Batches);
        // Batches with stock, per outlet, to pick from in O(1); emptied ones are swapped out.
        var stocked = outletIds.ToDictionary(o => o, _ => new List<int>());
        var start = now.Date.AddDays(-Days);
        long lineId = 0, movements = 0;
        var zones = outletIds.ToDictionary(o => o, o => o == outletIds[0] ? "Europe/London" : o == outletIds[1] ? "Europe/Paris" : "America/New_York");
        for (var day = 0; day < Days; day++)
        {
            var date = start.AddDays(day);
            // Receipts: the batches of the day, before the day's sales. A first stock of 30 days' worth on day 0.
            var receipts = day == 0 ? Batches / 12 : (Batches - Batches / 12) / (Days - 1) + (day <= (Batches - Batches / 12) % (Days - 1) ? 1 : 0);
            for (var r = 0; r < receipts && batches.Count < Batches; r++)
            {
                var outlet = outletIds[rng.Next(outletIds.Length)];
                var product = rng.Next(Products);
                var at = date.AddHours(7).AddMinutes(rng.Next(60));
                var quantity = rng.Next(60, 200);
                var batch = new GeneratedBatch(Guid.NewGuid(), outlet, productIds[product], product, quantity,
                    productIds[product] % 10 == 0 ? null : DateOnly.FromDateTime(at).AddDays(rng.Next(30, 420)), Math.Round(prices[product] * (0.4m + (decimal)rng.NextDouble() * 0.3m), 4));
                batches.Add(batch);
                stocked[outlet].Add(batches.Count - 1);
                Exec(insertBatch, Id(batch.Id), outlet, batch.ProductId, $"L{batches.Count:D6}", batch.Expiry?.ToString("yyyy-MM-dd"), quantity, quantity, Dec(batch.UnitCost), Time(at));
                Exec(insertMovement, Id(batch.Id), outlet, batch.ProductId, (int)MovementKind.Receipt, quantity, $"receipt:{batch.Id:D}", "generator", Time(at));
                movements++;
            }
            // Sales through the day, three lines each, from batches with stock (expired stock is not sold).
            for (var s = 0; s < SalesPerDay; s++)
            {
                var outlet = outletIds[s % outletIds.Length];
                var at = date.AddHours(8).AddSeconds(s * (12.0 * 3600 / SalesPerDay));
                var zone = TimeZoneInfo.FindSystemTimeZoneById(zones[outlet]);
                var offset = (int)zone.GetUtcOffset(at).TotalMinutes;
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, zone));
                var saleId = Guid.NewGuid();
                var reference = $"sale:{saleId:D}";
                decimal total = 0;
                var lines = new List<(int Product, int ProductIndex, int Quantity, GeneratedBatch? Batch)>();
                for (var l = 0; l < LinesPerSale; l++)
                {
                    var pool = stocked[outlet];
                    var quantity = rng.Next(1, 4);
                    if (rng.Next(200) == 0 || pool.Count == 0)
                    {
                        // A till sold what the records say is not there: a shortfall.
                        var product = rng.Next(Products);
                        lines.Add((productIds[product], product, quantity, null));
                        continue;
                    }
                    var pick = rng.Next(pool.Count);
                    var batch = batches[pool[pick]];
                    if (batch.Expiry is { } e && e < today || batch.OnHand < quantity)
                    {
                        // Expired or nearly empty: out of the pool (its remains stay on hand, as in a shop).
                        pool[pick] = pool[^1];
                        pool.RemoveAt(pool.Count - 1);
                        l--;
                        continue;
                    }
                    batch.OnHand -= quantity;
                    lines.Add((batch.ProductId, batch.ProductIndex, quantity, batch));
                }
                total = lines.Sum(l => l.Quantity * prices[l.ProductIndex]);
                Exec(insertSale, Id(saleId), outlet, Time(at), offset, Dec(total));
                for (var l = 0; l < lines.Count; l++)
                {
                    var line = lines[l];
                    lineId++;
                    var allocated = line.Batch is null ? 0 : line.Quantity;
                    Exec(insertLine, lineId, Id(saleId), l + 1, line.Product, line.Quantity, Dec(prices[line.ProductIndex]), allocated, line.Quantity - allocated);
                    if (line.Batch is { } b)
                    {
                        Exec(insertAllocation, lineId, Id(b.Id), line.Quantity);
                        Exec(insertMovement, Id(b.Id), outlet, b.ProductId, (int)MovementKind.Sale, -line.Quantity, reference, null, Time(at));
                        movements++;
                    }
                    else Exec(insertDiscrepancy, outlet, line.Product, line.Quantity, reference, Time(at));
                }
            }
            // Corrections through the day: damage and finds.
            for (var a = 0; a < AdjustmentsPerDay && batches.Count > 0; a++)
            {
                var batch = batches[rng.Next(batches.Count)];
                var change = rng.Next(3) == 0 ? 1 : -1;
                if (batch.OnHand + change < 0) continue;
                batch.OnHand += change;
                Exec(insertMovement, Id(batch.Id), batch.OutletId, batch.ProductId, (int)MovementKind.Adjustment, change, change < 0 ? "adjustment:damage" : "adjustment:found", "manager", Time(date.AddHours(20).AddSeconds(a)));
                movements++;
            }
            // A stock take per outlet every 30 days: 200 lots counted, a few off by one.
            if (day % 30 == 29)
                foreach (var outlet in outletIds)
                {
                    var take = Convert.ToInt64(Exec(insertTake, outlet, Time(date.AddHours(21)), scalar: true), CultureInfo.InvariantCulture);
                    foreach (var index in stocked[outlet].OrderBy(_ => rng.Next()).Take(200).Distinct())
                    {
                        var b = batches[index];
                        var counted = b.OnHand + (rng.Next(10) == 0 ? -1 : 0);
                        Exec(insertTakeLine, take, b.ProductId, Id(b.Id), b.OnHand, counted);
                        if (counted != b.OnHand)
                        {
                            b.OnHand = counted;
                            Exec(insertMovement, Id(b.Id), outlet, b.ProductId, (int)MovementKind.StockTake, -1, $"stocktake:{take}", "manager", Time(date.AddHours(21)));
                            movements++;
                        }
                    }
                }
            if (day % 60 == 0) Console.WriteLine($"day {day}: {batches.Count:N0} batches, {movements:N0} movements, {lineId:N0} sale lines ({clock.Elapsed.TotalSeconds:N0} s)");
        }
        foreach (var b in batches) Exec(updateBatch, Id(b.Id), b.OnHand);
        // The sales went in as rows, not through the recorders: their daily totals are summed from them, as the migration does.
        using (var totals = connection.CreateCommand())
        {
            totals.Transaction = tx;
            totals.CommandText = BackOffice.Core.Sales.SalesDays.RebuildSql(BackOffice.Core.Data.DatabaseProvider.Sqlite);
            totals.ExecuteNonQuery();
        }
        tx.Commit();
        using (var analyze = connection.CreateCommand()) { analyze.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;"; analyze.ExecuteNonQuery(); }
        Console.WriteLine($"{path}: {batches.Count:N0} batches, {movements:N0} movements, {lineId:N0} sale lines in {clock.Elapsed.TotalSeconds:N0} s");
    }

    private sealed class GeneratedBatch(Guid id, int outletId, int productId, int productIndex, int onHand, DateOnly? expiry, decimal unitCost)
    {
        public Guid Id { get; } = id;
        public int OutletId { get; } = outletId;
        public int ProductId { get; } = productId;
        public int ProductIndex { get; } = productIndex;
        public int OnHand { get; set; } = onHand;
        public DateOnly? Expiry { get; } = expiry;
        public decimal UnitCost { get; } = unitCost;
    }

    // EF Core's SQLite storage: GUIDs as upper-case text, times as "yyyy-MM-dd HH:mm:ss.FFFFFFF", decimals as invariant text.
    private static string Id(Guid id) => id.ToString("D").ToUpperInvariant();
    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    private static string Dec(decimal d) => d.ToString("0.0###########################", CultureInfo.InvariantCulture);

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++) command.Parameters.Add(new SqliteParameter("$" + i, null));
        command.Prepare();
        return command;
    }

    private static object? Exec(SqliteCommand command, params object?[] values) => Exec(command, values, scalar: false);

    private static object? Exec(SqliteCommand command, object? a, object? b, bool scalar) => Exec(command, [a, b], scalar);

    private static object? Exec(SqliteCommand command, object?[] values, bool scalar)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
    }
}
