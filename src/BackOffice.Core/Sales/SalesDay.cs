using BackOffice.Core.Data;

namespace BackOffice.Core.Sales;

/// <summary>
/// Net sales of one product at one till on one day (the outlet's calendar day as the till's clock saw it). The sale and
/// return recorders add to it in the same write as the sale or return itself, so the sales report sums these rows
/// instead of every sale line, allocation and return of the period. Money is summed as double, as the report's SQL
/// always did (SQLite has no decimal arithmetic), and rounded to cents when shown.
/// </summary>
public class SalesDay
{
    public DateOnly Day { get; set; }
    public int OutletId { get; set; }
    /// <summary>The till, or 0 for a sale recorded without one (an integration).</summary>
    public int TillId { get; set; }
    public int ProductId { get; set; }
    public long SoldQuantity { get; set; }
    public double SoldRevenue { get; set; }
    /// <summary>Units sold at the unit cost of the batches they came from (units sold short carry none).</summary>
    public double SoldCost { get; set; }
    /// <summary>The sold lines' amount before tax and their tax (gross = net + tax), summed like the revenue.</summary>
    public double SoldNet { get; set; }
    public double SoldTax { get; set; }
    public long ReturnedQuantity { get; set; }
    /// <summary>Returned units at the average price their sale charged for the product.</summary>
    public double ReturnedRevenue { get; set; }
    /// <summary>Returned units at the unit cost of the batches they went back to.</summary>
    public double ReturnedCost { get; set; }
    public double ReturnedNet { get; set; }
    public double ReturnedTax { get; set; }
}

/// <summary>How the recorders add to <see cref="SalesDay"/>, and how the rows are rebuilt from the sales themselves.</summary>
public static class SalesDays
{
    private static readonly string[] Key = [nameof(SalesDay.Day), nameof(SalesDay.OutletId), nameof(SalesDay.ProductId), nameof(SalesDay.TillId)];
    private static readonly string[] Amounts = ["SoldQuantity", "SoldRevenue", "SoldCost", "ReturnedQuantity", "ReturnedRevenue", "ReturnedCost",
        "SoldNet", "SoldTax", "ReturnedNet", "ReturnedTax"];

    /// <summary>The day a sale or return counts on: its local date at the till's UTC offset at the time of the sale.</summary>
    public static DateOnly DayOf(DateTime occurredAtUtc, int offsetMinutes) => DateOnly.FromDateTime(occurredAtUtc.AddMinutes(offsetMinutes));

    /// <summary>Adds one sale's or return's totals per product to the day's rows (inserting those that do not exist yet).</summary>
    internal static void Add(WriteBatch w, DateOnly day, int outletId, int? tillId, IEnumerable<SalesDay> perProduct) =>
        w.AddTo(StockTables.SalesDays, Key, perProduct.GroupBy(p => p.ProductId).Select(g => new SalesDayRow(day, outletId, g.Key, tillId ?? 0,
            g.Sum(p => p.SoldQuantity), g.Sum(p => p.SoldRevenue), g.Sum(p => p.SoldCost),
            g.Sum(p => p.ReturnedQuantity), g.Sum(p => p.ReturnedRevenue), g.Sum(p => p.ReturnedCost),
            g.Sum(p => p.SoldNet), g.Sum(p => p.SoldTax), g.Sum(p => p.ReturnedNet), g.Sum(p => p.ReturnedTax))).ToList());

    /// <summary>
    /// The rows as the sales, allocations and returns themselves give them, grouped by the same key. A migration fills the
    /// table with it, and tests hold the maintained rows to it.
    /// </summary>
    public static string FromSalesSql(DatabaseProvider provider)
    {
        string Day(string at, string offset) => provider switch
        {
            DatabaseProvider.SqlServer => $"CAST(DATEADD(minute, {offset}, {at}) AS date)",
            DatabaseProvider.PostgreSql => $"CAST({at} + make_interval(mins => {offset}) AS date)",
            _ => $"date({at}, {offset} || ' minutes')",
        };
        var real = provider switch { DatabaseProvider.SqlServer => "float", DatabaseProvider.PostgreSql => "double precision", _ => "REAL" };
        return $"""
            SELECT "Day", "OutletId", "ProductId", "TillId", SUM("SoldQuantity") AS "SoldQuantity", SUM("SoldRevenue") AS "SoldRevenue",
                   SUM("SoldCost") AS "SoldCost", SUM("ReturnedQuantity") AS "ReturnedQuantity", SUM("ReturnedRevenue") AS "ReturnedRevenue",
                   SUM("ReturnedCost") AS "ReturnedCost", SUM("SoldNet") AS "SoldNet", SUM("SoldTax") AS "SoldTax",
                   SUM("ReturnedNet") AS "ReturnedNet", SUM("ReturnedTax") AS "ReturnedTax"
            FROM (
                SELECT {Day("s.\"OccurredAt\"", "s.\"OccurredOffsetMinutes\"")} AS "Day", s."OutletId", l."ProductId", COALESCE(s."TillId", 0) AS "TillId",
                       l."Quantity" AS "SoldQuantity", l."Quantity" * CAST(l."UnitPrice" AS {real}) AS "SoldRevenue", CAST(0 AS {real}) AS "SoldCost",
                       0 AS "ReturnedQuantity", CAST(0 AS {real}) AS "ReturnedRevenue", CAST(0 AS {real}) AS "ReturnedCost",
                       CAST(l."Net" AS {real}) AS "SoldNet", CAST(l."Tax" AS {real}) AS "SoldTax", CAST(0 AS {real}) AS "ReturnedNet", CAST(0 AS {real}) AS "ReturnedTax"
                FROM "SaleLines" l JOIN "Sales" s ON s."Id" = l."SaleId"
                UNION ALL
                SELECT {Day("s.\"OccurredAt\"", "s.\"OccurredOffsetMinutes\"")}, s."OutletId", l."ProductId", COALESCE(s."TillId", 0),
                       0, 0, a."Quantity" * CAST(b."UnitCost" AS {real}), 0, 0, 0, 0, 0, 0, 0
                FROM "Allocations" a JOIN "SaleLines" l ON l."Id" = a."SaleLineId" JOIN "Sales" s ON s."Id" = l."SaleId" JOIN "Batches" b ON b."Id" = a."BatchId"
                UNION ALL
                SELECT {Day("r.\"OccurredAt\"", "s.\"OccurredOffsetMinutes\"")}, r."OutletId", rl."ProductId", COALESCE(r."TillId", 0),
                       0, 0, 0, rl."Quantity",
                       rl."Quantity" * (SELECT SUM(x."Quantity" * CAST(x."UnitPrice" AS {real})) FROM "SaleLines" x WHERE x."SaleId" = r."SaleId" AND x."ProductId" = rl."ProductId")
                           / (SELECT SUM(x."Quantity") FROM "SaleLines" x WHERE x."SaleId" = r."SaleId" AND x."ProductId" = rl."ProductId"),
                       0, 0, 0, CAST(rl."Net" AS {real}), CAST(rl."Tax" AS {real})
                FROM "ReturnLines" rl JOIN "Returns" r ON r."Id" = rl."ReturnId" JOIN "Sales" s ON s."Id" = r."SaleId"
                UNION ALL
                SELECT {Day("r.\"OccurredAt\"", "s.\"OccurredOffsetMinutes\"")}, r."OutletId", rl."ProductId", COALESCE(r."TillId", 0),
                       0, 0, 0, 0, 0, ra."Quantity" * CAST(b."UnitCost" AS {real}), 0, 0, 0, 0
                FROM "ReturnAllocations" ra JOIN "ReturnLines" rl ON rl."Id" = ra."ReturnLineId" JOIN "Returns" r ON r."Id" = rl."ReturnId"
                    JOIN "Sales" s ON s."Id" = r."SaleId" JOIN "Batches" b ON b."Id" = ra."BatchId"
            ) f
            GROUP BY "Day", "OutletId", "ProductId", "TillId"
            """;
    }

    /// <summary>Empties the table and fills it again from the sales (the migration that introduced it, and repairs).</summary>
    public static string RebuildSql(DatabaseProvider provider) =>
        $"DELETE FROM \"SalesDays\";\nINSERT INTO \"SalesDays\" (\"Day\", \"OutletId\", \"ProductId\", \"TillId\", {string.Join(", ", Amounts.Select(a => $"\"{a}\""))})\n{FromSalesSql(provider)};";
}
