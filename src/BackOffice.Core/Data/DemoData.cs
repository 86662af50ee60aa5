using BackOffice.Core.Catalog;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;
using BackOffice.Core.Sales;
using BackOffice.Core.Tills;
using Bogus;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Data;

/// <summary>What the demo data is made of; Development fills it from the Seed section of configuration.</summary>
public sealed class SeedOptions
{
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? DemoTillToken { get; set; }
    public string? IntegrationApiKey { get; set; }
    /// <summary>Outlets, products and batches of a small pharmacy chain, made from a fixed seed.</summary>
    public bool DemoData { get; set; }
    public int Products { get; set; } = 300;
    public int Batches { get; set; } = 2000;
}

/// <summary>
/// Deterministic demo data of a pharmacy chain (Bogus with a fixed seed): the same database every time for the
/// same date. Only runs on an empty database; the till and API key are added if missing.
/// </summary>
public static class DemoData
{
    public const string DemoTillName = "Demo till 1";
    public const string DemoApiKeyName = "Demo integration";

    /// <summary>
    /// The three demo outlets with their money: UK VAT (prices include it; standard 20%, medicines 0%), French TVA (included;
    /// 20%, medicines 2.1%, vitamins 5.5%) and New York City sales tax (added at the till; 8.875%, medicines 0%).
    /// </summary>
    private static Outlet[] MakeOutlets() =>
    [
        new()
        {
            Code = "LDN-01", Name = "Camden High Street Pharmacy", TimeZoneId = "Europe/London", Address = "212 Camden High Street\nLondon NW1 8QR\nUnited Kingdom",
            Currency = "GBP", Culture = "en-GB", PricesIncludeTax = true,
            // UK VAT: 20% standard (cosmetics and supplements too); medicines dispensed on prescription are zero-rated.
            TaxRates = [new() { Category = "standard", RatePercent = 20m }, new() { Category = "medicines", RatePercent = 0m }],
        },
        new()
        {
            Code = "PAR-01", Name = "Pharmacie du Marais", TimeZoneId = "Europe/Paris", Address = "14 rue des Archives\n75004 Paris\nFrance",
            Currency = "EUR", Culture = "fr-FR", PricesIncludeTax = true,
            TaxRates =
            [
                new() { Category = "standard", RatePercent = 20m }, new() { Category = "medicines", RatePercent = 2.1m },
                new() { Category = "vitamins", RatePercent = 5.5m },
            ],
        },
        new()
        {
            Code = "NYC-01", Name = "Chelsea Drugstore", TimeZoneId = "America/New_York", Address = "180 Eighth Avenue\nNew York, NY 10011\nUnited States",
            Currency = "USD", Culture = "en-US", PricesIncludeTax = false,
            // New York City: 8.875% on most goods; medicines and dietary supplements are exempt.
            TaxRates =
            [
                new() { Category = "standard", RatePercent = 8.875m }, new() { Category = "medicines", RatePercent = 0m },
                new() { Category = "vitamins", RatePercent = 0m },
            ],
        },
    ];

    private static readonly (string Molecule, string Code, string[] Strengths, string Form)[] Medicines =
    [
        ("Paracetamol", "PARA", ["250 mg", "500 mg", "1 g"], "tablets"),
        ("Ibuprofen", "IBU", ["200 mg", "400 mg"], "tablets"),
        ("Aspirin", "ASP", ["75 mg", "300 mg"], "tablets"),
        ("Cetirizine", "CET", ["10 mg"], "tablets"),
        ("Loratadine", "LOR", ["10 mg"], "tablets"),
        ("Omeprazole", "OME", ["10 mg", "20 mg"], "capsules"),
        ("Loperamide", "LOP", ["2 mg"], "capsules"),
        ("Naproxen", "NAP", ["250 mg"], "tablets"),
        ("Amoxicillin", "AMOX", ["250 mg", "500 mg"], "capsules"),
        ("Metformin", "MET", ["500 mg", "850 mg"], "tablets"),
        ("Atorvastatin", "ATOR", ["10 mg", "20 mg", "40 mg"], "tablets"),
        ("Amlodipine", "AMLO", ["5 mg", "10 mg"], "tablets"),
        ("Ramipril", "RAM", ["2.5 mg", "5 mg"], "capsules"),
        ("Levothyroxine", "LEVO", ["50 mcg", "100 mcg"], "tablets"),
        ("Salbutamol", "SALB", ["100 mcg"], "inhaler"),
        ("Chlorphenamine", "CHLO", ["4 mg"], "tablets"),
        ("Hydrocortisone", "HYDR", ["1%"], "cream"),
        ("Clotrimazole", "CLOT", ["1%"], "cream"),
        ("Diclofenac", "DICL", ["1%", "2%"], "gel"),
        ("Fexofenadine", "FEXO", ["120 mg", "180 mg"], "tablets"),
        ("Ranitidine", "RANI", ["75 mg"], "tablets"),
        ("Simvastatin", "SIMV", ["20 mg", "40 mg"], "tablets"),
        ("Vitamin D3", "VITD", ["1000 IU", "25 mcg"], "capsules"),
        ("Vitamin C", "VITC", ["500 mg", "1 g"], "effervescent tablets"),
        ("Folic acid", "FOLIC", ["400 mcg"], "tablets"),
        ("Zinc", "ZINC", ["25 mg"], "tablets"),
        ("Magnesium", "MAGN", ["375 mg"], "tablets"),
        ("Xylometazoline", "XYLO", ["0.1%"], "nasal spray"),
        ("Oral rehydration salts", "ORS", ["sachet"], "powder"),
        ("Guaifenesin", "GUAI", ["100 mg/5 ml"], "syrup"),
    ];

    private static readonly int[] PackSizes = [7, 12, 14, 16, 20, 24, 28, 30, 32, 56, 60, 100];

    private static readonly string[] NoExpiryGoods =
    [
        "Digital thermometer", "Pill organiser weekly", "Elastic bandage 8 cm", "Nail clippers", "Hot water bottle",
        "Blood pressure monitor", "Reusable ice pack", "Tweezers stainless", "Sharps container 1 l", "Pill cutter",
        "Compression socks M", "Compression socks L", "Wrist support", "Ankle support", "Reading glasses +1.5",
        "Reading glasses +2.0", "Ear plugs foam", "Toothbrush soft", "Dental floss 50 m", "Cotton pads 100",
    ];

    private static readonly HashSet<string> Vitamins = ["VITD", "VITC", "FOLIC", "ZINC", "MAGN"];
    private static readonly HashSet<string> Cosmetics = ["Toothbrush soft", "Dental floss 50 m", "Cotton pads 100", "Nail clippers", "Tweezers stainless"];

    /// <summary>The demo's shelf prices abroad: the base (GBP) price converted and ended in .x9, as shops price.</summary>
    private static List<ProductPrice> PricesAbroad(decimal gbp) =>
    [
        new() { Currency = "EUR", Price = Math.Max(0.09m, Math.Round(gbp * 1.17m, 1, MidpointRounding.AwayFromZero) - 0.01m) },
        new() { Currency = "USD", Price = Math.Max(0.09m, Math.Round(gbp * 1.27m, 1, MidpointRounding.AwayFromZero) - 0.01m) },
    ];

    public static async Task<bool> SeedAsync(BackOfficeDb db, SeedOptions options, DateTimeOffset now, CancellationToken ct = default)
    {
        var added = false;
        if (options.DemoData && !await db.Outlets.AnyAsync(ct))
        {
            await AddCatalogAndStockAsync(db, options, now, ct);
            added = true;
        }

        if (!string.IsNullOrEmpty(options.DemoTillToken))
        {
            var hash = Secrets.Hash(options.DemoTillToken);
            var firstOutlet = await db.Outlets.OrderBy(o => o.Id).Select(o => (int?)o.Id).FirstOrDefaultAsync(ct);
            if (firstOutlet is { } outletId && !await db.Tills.AnyAsync(t => t.TokenHash == hash, ct))
            {
                db.Tills.Add(new Till { Name = DemoTillName, OutletId = outletId, TokenHash = hash, CreatedAt = now.UtcDateTime });
                added = true;
            }
        }

        if (!string.IsNullOrEmpty(options.IntegrationApiKey))
        {
            var hash = Secrets.Hash(options.IntegrationApiKey);
            if (!await db.ApiKeys.AnyAsync(k => k.KeyHash == hash, ct))
            {
                db.ApiKeys.Add(new ApiKey { Name = DemoApiKeyName, KeyHash = hash, CreatedBy = "seed", CreatedAt = now.UtcDateTime, Scopes = ApiKeyScopes.All });
                added = true;
            }
        }

        await db.SaveChangesAsync(ct);
        return added;
    }

    private static async Task AddCatalogAndStockAsync(BackOfficeDb db, SeedOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var faker = new Faker { Random = new Randomizer(20261124) };
        var utcNow = now.UtcDateTime;

        var outlets = MakeOutlets().ToList();
        db.Outlets.AddRange(outlets);

        var products = MakeProducts(faker, options.Products, utcNow);
        db.Products.AddRange(products);
        await db.SaveChangesAsync(ct);

        var receipts = outlets.ToDictionary(o => o.Id, o => new Receipt
        {
            Id = Guid.NewGuid(), OutletId = o.Id, Reference = "Opening stock", ReceivedAt = utcNow.AddDays(-90), ReceivedBy = "seed",
        });
        db.Receipts.AddRange(receipts.Values);

        var today = DateOnly.FromDateTime(utcNow);
        for (var i = 0; i < options.Batches; i++)
        {
            var product = products[i % products.Count];
            var outlet = faker.PickRandom(outlets);
            var received = faker.Random.Int(1, 80) * 6;
            var onHand = faker.Random.Bool(0.08f) ? 0 : faker.Random.Int(1, received);
            // Expiry spread from already expired (a few weeks ago) to three years out; a tenth within a month.
            DateOnly? expiry = !product.TracksExpiry ? null
                : faker.Random.Bool(0.1f) ? today.AddDays(faker.Random.Int(-45, 30))
                : today.AddDays(faker.Random.Int(31, 3 * 365));
            var batch = new Batch
            {
                Id = Guid.NewGuid(),
                OutletId = outlet.Id,
                ProductId = product.Id,
                LotNumber = product.TracksExpiry ? $"L{faker.Random.Int(1000, 99999)}{faker.Random.Char('A', 'Z')}" : null,
                ExpiryDate = expiry,
                QuantityReceived = received,
                OnHand = onHand,
                // Costs in the outlet's own currency, as its suppliers invoice.
                UnitCost = Math.Round(ShelfPrice(product, outlet) * faker.Random.Decimal(0.45m, 0.7m), 4),
                // Distinct receipt times (FEFO ties break on them), all in the past.
                ReceivedAt = utcNow.AddDays(-faker.Random.Int(2, 180)).AddMinutes(-(i % 1000)),
            };
            db.Batches.Add(batch);
            db.Movements.Add(StockMovement.For(batch, MovementKind.Receipt, received, batch.ReceivedAt, MovementReference.Receipt(receipts[outlet.Id].Id).ToString(), "seed"));
            if (onHand < received)
                db.Movements.Add(StockMovement.For(batch, MovementKind.Adjustment, onHand - received, batch.ReceivedAt.AddHours(12), "seed:opening-balance", "seed", note: "Sold before go-live"));
        }
        await db.SaveChangesAsync(ct);
        await AddRecentSalesAsync(db, faker, outlets, products, now, ct);
    }

    /// <summary>
    /// Two weeks of counter sales at every outlet, recorded by the sale recorder itself (so allocations, the ledger and
    /// the daily sales totals agree), so that the sales reports and margins have something to show on a first run.
    /// Each sale takes only what the outlet still holds of sellable stock: the demo has no shortfalls.
    /// </summary>
    private static async Task AddRecentSalesAsync(BackOfficeDb db, Faker faker, List<Outlet> outlets, List<Product> products, DateTimeOffset now,
        CancellationToken ct)
    {
        var active = products.Where(p => p.Active).ToDictionary(p => p.Id);
        var left = await db.Batches.Where(b => b.OnHand > 0 && (b.ExpiryDate == null || b.ExpiryDate > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1)))
            .GroupBy(b => new { b.OutletId, b.ProductId }).Select(g => new { g.Key.OutletId, g.Key.ProductId, OnHand = g.Sum(b => b.OnHand) })
            .ToDictionaryAsync(x => (x.OutletId, x.ProductId), x => x.OnHand, ct);
        db.ChangeTracker.Clear();
        var recorder = new SaleRecorder(db, new StoppedClock(now), NoStockChangeNotifier.Instance);
        for (var daysAgo = 14; daysAgo >= 1; daysAgo--)
        {
            foreach (var outlet in outlets)
            {
                var zone = TimeZoneInfo.FindSystemTimeZoneById(outlet.TimeZoneId);
                var day = ExpiryRule.TodayAt(zone, now).AddDays(-daysAgo);
                var stocked = left.Where(l => l.Key.OutletId == outlet.Id && l.Value >= 3 && active.ContainsKey(l.Key.ProductId)).Select(l => l.Key.ProductId).ToList();
                for (var n = 0; n < 12 && stocked.Count > 0; n++)
                {
                    var local = day.ToDateTime(new TimeOnly(faker.Random.Int(8, 19), faker.Random.Int(0, 59)));
                    var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
                    var lines = new List<SaleLineRequest>();
                    foreach (var productId in faker.PickRandom(stocked, faker.Random.Int(1, Math.Min(3, stocked.Count))).ToList())
                    {
                        var quantity = faker.Random.Int(1, 2);
                        var product = active[productId];
                        lines.Add(new SaleLineRequest(product.Sku, quantity, ShelfPrice(product, outlet)));
                        if ((left[(outlet.Id, productId)] -= quantity) < 3) stocked.Remove(productId);
                    }
                    // What the customer pays: with tax on top where the outlet's prices exclude it (the recorder checks it).
                    var total = lines.Sum(l => Tax.OfLine(l.Quantity * l.UnitPrice, RateAt(outlet, active.Values.First(p => p.Sku == l.Sku).TaxCategory),
                        outlet.PricesIncludeTax, outlet.Currency).Gross);
                    await recorder.RecordSaleAsync(new SaleRequest(faker.Random.Guid(), new DateTimeOffset(utc).ToOffset(zone.GetUtcOffset(utc)), lines,
                        [new PaymentRequest(faker.Random.Bool(0.6f) ? "card" : "cash", total)]), new Counter(outlet.Id, UserName: "seed"), ct);
                }
            }
        }
    }

    private static decimal ShelfPrice(Product product, Outlet outlet) =>
        outlet.Currency is "GBP" or null ? product.Price : product.Prices.Single(p => p.Currency == outlet.Currency).Price;

    private static decimal RateAt(Outlet outlet, string category) => Tax.RateFor(
        outlet.TaxRates.FirstOrDefault(r => r.Category == category)?.RatePercent, outlet.TaxRates.FirstOrDefault(r => r.Category == TaxCategories.Standard)?.RatePercent);

    /// <summary>The seed's "now", so that the demo's sales are judged against the same day as its stock.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static List<Product> MakeProducts(Faker faker, int count, DateTime now)
    {
        var products = new List<Product>();
        var skus = new HashSet<string>();
        var barcodes = new HashSet<string>();
        var i = 0;
        while (products.Count < count)
        {
            i++;
            string name, sku, category;
            bool tracksExpiry;
            if (faker.Random.Bool(0.9f))
            {
                var m = faker.PickRandom(Medicines);
                var strength = faker.PickRandom(m.Strengths);
                var pack = faker.PickRandom(PackSizes);
                name = $"{m.Molecule} {strength} {m.Form} ×{pack}";
                sku = $"{m.Code}-{new string(strength.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant()}-{pack}";
                tracksExpiry = true;
                category = Vitamins.Contains(m.Code) ? "vitamins" : "medicines";
            }
            else
            {
                var g = faker.PickRandom(NoExpiryGoods);
                name = g;
                sku = "GEN-" + new string(g.Where(char.IsLetterOrDigit).Take(8).ToArray()).ToUpperInvariant() + "-" + faker.Random.Int(1, 9);
                tracksExpiry = false;
                category = Cosmetics.Contains(g) ? "cosmetics" : TaxCategories.Standard;
            }
            if (!skus.Add(sku)) { if (i > count * 50) break; continue; }
            string barcode;
            do barcode = Ean13(faker.Random.Long(500_000_000_000, 599_999_999_999)); while (!barcodes.Add(barcode));
            var price = Math.Round(faker.Random.Decimal(1.5m, 24m), 2);
            products.Add(new Product
            {
                Sku = sku,
                Barcode = barcode,
                Barcodes = [ProductBarcode.For(barcode)],
                Name = name,
                Price = price,
                Prices = PricesAbroad(price),
                TaxCategory = category,
                ReorderLevel = faker.Random.Int(4, 30),
                TracksExpiry = tracksExpiry,
                Active = !faker.Random.Bool(0.03f),
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        return products;
    }

    /// <summary>A valid EAN-13 from 12 digits: the last digit is the standard check digit.</summary>
    public static string Ean13(long twelveDigits)
    {
        var digits = twelveDigits.ToString("D12");
        var sum = 0;
        for (var k = 0; k < 12; k++) sum += (digits[k] - '0') * (k % 2 == 0 ? 1 : 3);
        return digits + ((10 - sum % 10) % 10);
    }
}
