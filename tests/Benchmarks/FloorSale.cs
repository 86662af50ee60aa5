using System.Data.Common;
using System.Globalization;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Benchmarks;

/// <summary>
/// The floor of a sale: the same reads and the same rows the engine writes (sale, line, per batch the guarded update,
/// the allocation and the ledger row, the day's totals), by hand-prepared ADO.NET commands on one connection in one
/// transaction, with nothing of EF, FEFO rules, validation or notifications. What no engine can beat on this database.
/// </summary>
internal static class FloorSale
{
    public static async Task<int> SellAsync(BenchDatabase bench, string sku, int quantity)
    {
        var sqlite = bench.Provider == DatabaseProvider.Sqlite;
        await using DbConnection connection = sqlite ? new SqliteConnection(bench.ConnectionString) : new NpgsqlConnection(BackOfficeDatabase.WithAutoPrepare(bench.ConnectionString));
        await connection.OpenAsync();
        // The app's connection settings (durability, checkpoints), so that floor and engine pay the same disk.
        if (sqlite) SqliteConnectionSetup.Apply(connection);
        // SQLite: BEGIN IMMEDIATE, as the engine's stock writes.
        await using var tx = sqlite ? ((SqliteConnection)connection).BeginTransaction(deferred: false) : await connection.BeginTransactionAsync();
        var saleId = Guid.NewGuid();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);

        // SQLite holds Guid, DateTime, DateOnly and decimal as text in EF's formats; Npgsql takes them as they are.
        object V(object value) => !sqlite ? value : value switch
        {
            Guid g => g.ToString().ToUpperInvariant(),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            decimal m => m.ToString("0.0###########################", CultureInfo.InvariantCulture),
            _ => value,
        };
        DbCommand Command(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = DBNull.Value;
                command.Parameters.Add(p);
            }
            return command;
        }
        static void Set(DbCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        }

        // Read 1: the product, and whether the sale id is known.
        int productId;
        await using (var read = Command("""SELECT p."Id", EXISTS (SELECT 1 FROM "Sales" s WHERE s."Id" = @sale) FROM "Products" p WHERE p."Sku" = @sku""", "@sale", "@sku"))
        {
            Set(read, V(saleId), sku);
            await using var r = await read.ExecuteReaderAsync();
            await r.ReadAsync();
            productId = r.GetInt32(0);
        }

        // Read 2: the sellable batches, earliest expiry first (locked on PostgreSQL).
        var batches = new List<(Guid Id, int OnHand, int Version, decimal UnitCost)>();
        await using (var read = Command("""
            SELECT "Id", "OnHand", "Version", "UnitCost" FROM "Batches"
            WHERE "OutletId" = @outlet AND "ProductId" = @product AND "OnHand" > 0 AND ("ExpiryDate" IS NULL OR "ExpiryDate" >= @today)
            ORDER BY "ExpiryDate", "ReceivedAt", "Id"
            """ + (sqlite ? "" : " FOR UPDATE"), "@outlet", "@product", "@today"))
        {
            Set(read, bench.OutletId, productId, V(today));
            await using var r = await read.ExecuteReaderAsync();
            while (await r.ReadAsync())
                batches.Add((sqlite ? Guid.Parse(r.GetString(0)) : r.GetGuid(0), r.GetInt32(1), r.GetInt32(2), r.GetDecimal(3)));
        }
        var taken = new List<(Guid Id, int Quantity, int Version, decimal UnitCost)>();
        var left = quantity;
        foreach (var b in batches)
        {
            if (left == 0) break;
            var q = Math.Min(left, b.OnHand);
            taken.Add((b.Id, q, b.Version, b.UnitCost));
            left -= q;
        }

        await using (var insert = Command("""
            INSERT INTO "Sales" ("Id", "OutletId", "TillId", "OccurredAt", "OccurredOffsetMinutes", "RecordedAt", "Total", "ContentHash")
            VALUES (@id, @outlet, NULL, @at, 0, @at, @total, @hash)
            """, "@id", "@outlet", "@at", "@total", "@hash"))
        {
            Set(insert, V(saleId), bench.OutletId, V(now), V((decimal)quantity), "floor");
            await insert.ExecuteNonQueryAsync();
        }
        long lineId;
        await using (var insert = Command("""
            INSERT INTO "SaleLines" ("SaleId", "LineNumber", "ProductId", "Quantity", "UnitPrice", "Allocated", "Shortfall")
            VALUES (@sale, 1, @product, @quantity, @price, @allocated, @shortfall) RETURNING "Id"
            """, "@sale", "@product", "@quantity", "@price", "@allocated", "@shortfall"))
        {
            Set(insert, V(saleId), productId, quantity, V(1m), quantity - left, left);
            lineId = Convert.ToInt64(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        await using var take = Command("""
            UPDATE "Batches" SET "OnHand" = "OnHand" - @quantity, "Version" = "Version" + 1
            WHERE "Id" = @id AND "Version" = @version AND "OnHand" >= @quantity
            """, "@quantity", "@id", "@version");
        await using var allocate = Command("""INSERT INTO "Allocations" ("SaleLineId", "BatchId", "Quantity") VALUES (@line, @batch, @quantity)""",
            "@line", "@batch", "@quantity");
        await using var ledger = Command("""
            INSERT INTO "Movements" ("BatchId", "OutletId", "ProductId", "Kind", "Quantity", "Reference", "UserName", "TillId", "CreatedAt", "Note")
            VALUES (@batch, @outlet, @product, @kind, @quantity, @reference, NULL, NULL, @at, NULL)
            """, "@batch", "@outlet", "@product", "@kind", "@quantity", "@reference", "@at");
        await take.PrepareAsync();
        await allocate.PrepareAsync();
        await ledger.PrepareAsync();
        var reference = "sale:" + saleId;
        foreach (var (id, q, version, _) in taken)
        {
            Set(take, q, V(id), version);
            if (await take.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException("The floor's batch moved: benchmarks run one seller.");
            Set(allocate, lineId, V(id), q);
            await allocate.ExecuteNonQueryAsync();
            Set(ledger, V(id), bench.OutletId, productId, (int)MovementKind.Sale, -q, reference, V(now));
            await ledger.ExecuteNonQueryAsync();
        }

        await using (var day = Command("""
            INSERT INTO "SalesDays" ("Day", "OutletId", "ProductId", "TillId", "SoldQuantity", "SoldRevenue", "SoldCost", "ReturnedQuantity", "ReturnedRevenue", "ReturnedCost")
            VALUES (@day, @outlet, @product, 0, @quantity, @revenue, @cost, 0, 0, 0)
            ON CONFLICT ("Day", "OutletId", "ProductId", "TillId") DO UPDATE SET "SoldQuantity" = "SalesDays"."SoldQuantity" + excluded."SoldQuantity",
                "SoldRevenue" = "SalesDays"."SoldRevenue" + excluded."SoldRevenue", "SoldCost" = "SalesDays"."SoldCost" + excluded."SoldCost"
            """, "@day", "@outlet", "@product", "@quantity", "@revenue", "@cost"))
        {
            Set(day, V(today), bench.OutletId, productId, (long)quantity, (double)quantity, taken.Sum(t => t.Quantity * (double)t.UnitCost));
            await day.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return quantity - left;
    }
}
