using BackOffice.Core.Inventory;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Inventory;

public sealed class OpeningStockImportTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private readonly Shop _shop;

    public OpeningStockImportTests() => _shop = new Shop(_database, _clock);

    public void Dispose() => _database.Dispose();

    private OpeningStockImport Import(BackOffice.Core.Data.BackOfficeDb db) => new(db, _clock, _notifier);

    private static OpeningStockFile Parse(string csv, string name = "opening.csv") => OpeningStockImport.Parse(new StringReader(csv), name);

    private async Task ShopAsync()
    {
        await _shop.OutletAsync("SHOP-1");
        await _shop.OutletAsync("SHOP-2", zone: "Europe/Paris");
        var old = await _shop.OutletAsync("OLD");
        await _shop.ProductAsync("PARA");
        var ibu = await _shop.ProductAsync("IBU");
        await _shop.ProductAsync("THERMO", tracksExpiry: false);
        await _shop.BarcodeAsync(ibu, "5012345678900");
        await using var db = _database.Open();
        await db.Outlets.Where(o => o.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.ClosedAt, new DateTime(2026, 10, 1)));
    }

    private const string BadRows = """
        outlet,sku,barcode,lot,expiry,quantity,cost
        SHOP-1,PARA,,L1,2027-03-31,10,1.20
        SHOP-1,,5012345678900,L2,2027-03-31,5,1.00
        NOPE,PARA,,L1,2027-03-31,1,1
        SHOP-1,GHOST,,L1,2027-03-31,1,1
        SHOP-1,,999,L1,2027-03-31,1,1
        SHOP-1,PARA,,L3,31/03/2027,1,1
        SHOP-1,PARA,,L4,2026-11-23,1,1
        SHOP-1,PARA,,L5,2027-03-31,0,1
        SHOP-1,PARA,,L6,2027-03-31,-2,1
        SHOP-1,PARA,,L7,2027-03-31,1.5,1
        SHOP-1,PARA,,L8,2027-03-31,1,-1
        SHOP-1,PARA,,L9,,1,1
        SHOP-1,PARA,,L1,2027-03-31,3,1.20
        OLD,PARA,,L1,2027-03-31,1,1
        SHOP-2,THERMO,,,,4,10.00
        SHOP-1,PARA,,L1,2026-11-24,2,1.00
        SHOP-1,THERMO,,,2027-01-01,1,1
        SHOP-1,PARA,5012345678900,L10,2027-03-31,1,1
        """;

    [Fact]
    public async Task Every_bad_row_says_why_and_only_the_good_rows_are_received_one_receipt_per_outlet()
    {
        await ShopAsync();
        var file = Parse(BadRows);
        file.Error.ShouldBeNull();
        await using (var db = _database.Open())
            await Import(db).CheckAsync(file);

        var byLine = file.Rows.ToDictionary(r => r.Line);
        byLine[2].Status.ShouldBe(OpeningStockRowStatus.Ready);
        byLine[3].ShouldSatisfyAllConditions(r => r.Status.ShouldBe(OpeningStockRowStatus.Ready), r => r.ProductSku.ShouldBe("IBU"));
        byLine[4].Errors["outletCode"].ShouldBe("Unknown outlet 'NOPE'.");
        byLine[5].Errors["sku"].ShouldBe("Unknown sku 'GHOST'.");
        byLine[6].Errors["barcode"].ShouldBe("Unknown barcode '999'.");
        byLine[7].Errors["expiryDate"].ShouldBe("expiryDate '31/03/2027' is not a date as yyyy-MM-dd.");
        byLine[8].Errors["expiryDate"].ShouldBe("The expiry date is already past.");
        byLine[9].Errors["quantity"].ShouldBe("quantity must be at least 1.");
        byLine[10].Errors["quantity"].ShouldBe("quantity must be at least 1.");
        byLine[11].Errors["quantity"].ShouldBe("quantity '1.5' is not a whole number.");
        byLine[12].Errors["unitCost"].ShouldBe("unitCost must not be negative.");
        byLine[13].Errors["expiryDate"].ShouldBe("'PARA' tracks expiry: an expiry date is required.");
        byLine[14].ShouldSatisfyAllConditions(r => r.Status.ShouldBe(OpeningStockRowStatus.Duplicate), r => r.DuplicateOfLine.ShouldBe(2));
        byLine[15].Errors["outletCode"].ShouldBe("Outlet 'OLD' is closed (since 2026-10-01): it takes no receipts.");
        byLine[16].Status.ShouldBe(OpeningStockRowStatus.Ready);
        // Expiring today is still sellable today.
        byLine[17].Status.ShouldBe(OpeningStockRowStatus.Ready);
        byLine[18].Errors["expiryDate"].ShouldBe("'THERMO' does not track expiry: leave the expiry date empty.");
        byLine[19].Errors["barcode"].ShouldBe("The barcode '5012345678900' is not PARA's barcode (it has none).");
        foreach (var line in new[] { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 18, 19 }) byLine[line].Status.ShouldBe(OpeningStockRowStatus.Error, $"line {line}");
        file.Ready.ShouldBe(4);
        file.Outlets.ShouldBe([
            new OpeningStockOutlet("NOPE", 0, 0, 0m, 1), new OpeningStockOutlet("OLD", 0, 0, 0m, 1),
            new OpeningStockOutlet("SHOP-1", 3, 17, 19.00m, 12), new OpeningStockOutlet("SHOP-2", 1, 4, 40.00m, 0)]);

        IReadOnlyList<OpeningStockReceipt> receipts;
        await using (var db = _database.Open())
            receipts = await Import(db).ImportAsync(file, "manager");

        receipts.Select(r => (r.OutletCode, r.Rows, r.Units, r.Reference)).ShouldBe([("SHOP-1", 3, 17L, "Opening stock: opening.csv"), ("SHOP-2", 1, 4L, "Opening stock: opening.csv")]);
        await using var check = _database.Open();
        (await check.Receipts.CountAsync()).ShouldBe(2);
        var batches = await check.Batches.AsNoTracking().OrderBy(b => b.OnHand)
            .Select(b => new { Outlet = check.Outlets.First(o => o.Id == b.OutletId).Code, Sku = check.Products.First(p => p.Id == b.ProductId).Sku, b.LotNumber, b.ExpiryDate, b.OnHand, b.UnitCost })
            .ToListAsync();
        batches.Select(b => $"{b.Outlet} {b.Sku} {b.LotNumber} {b.ExpiryDate:yyyy-MM-dd} {b.OnHand} {b.UnitCost:0.00}").ShouldBe([
            "SHOP-1 PARA L1 2026-11-24 2 1.00", "SHOP-2 THERMO   4 10.00", "SHOP-1 IBU L2 2027-03-31 5 1.00", "SHOP-1 PARA L1 2027-03-31 10 1.20"]);
        await Invariants.AssertLedgerAsync(check);
        _notifier.Notifications.ShouldHaveSingleItem().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Importing_the_same_file_again_is_refused_and_changes_nothing()
    {
        await ShopAsync();
        var first = Parse(BadRows);
        await using (var db = _database.Open())
        {
            await Import(db).CheckAsync(first);
            await Import(db).ImportAsync(first, "manager");
        }

        var again = Parse(BadRows, "opening-copy.csv");
        await using (var db = _database.Open())
            await Import(db).CheckAsync(again);
        again.Ready.ShouldBe(0);
        again.Count(OpeningStockRowStatus.AlreadyReceived).ShouldBe(4);
        again.Rows.First(r => r.Line == 2).ReceivedIn.ShouldBe("Opening stock: opening.csv");
        OpeningStockImport.Why(again.Rows.First(r => r.Line == 16)).ShouldBe("received already, in 'Opening stock: opening.csv'");

        await using (var db = _database.Open())
        {
            var refused = await Should.ThrowAsync<ValidationFailedException>(() => Import(db).ImportAsync(again, "manager"));
            refused.Errors["file"].ShouldHaveSingleItem().ShouldStartWith("No row of the file can be received");
        }
        await using var check = _database.Open();
        (await check.Receipts.CountAsync()).ShouldBe(2);
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(21);
    }

    [Fact]
    public async Task A_file_fixed_after_a_first_import_receives_only_the_rows_not_received_yet()
    {
        await ShopAsync();
        var first = Parse(BadRows);
        await using (var db = _database.Open())
        {
            await Import(db).CheckAsync(first);
            await Import(db).ImportAsync(first, "manager");
        }
        var fixedFile = Parse(BadRows.Replace("SHOP-1,PARA,,L5,2027-03-31,0,1", "SHOP-1,PARA,,L5,2027-03-31,6,1"), "opening-fixed.csv");
        await using (var db = _database.Open())
        {
            await Import(db).CheckAsync(fixedFile);
            fixedFile.Ready.ShouldBe(1);
            (await Import(db).ImportAsync(fixedFile, "manager")).ShouldHaveSingleItem().Units.ShouldBe(6);
        }
        await using var check = _database.Open();
        (await check.Batches.SumAsync(b => b.OnHand)).ShouldBe(27);
    }

    [Fact]
    public async Task When_the_stock_changed_since_the_preview_nothing_is_received_at_any_outlet()
    {
        await ShopAsync();
        var file = Parse(BadRows);
        await using (var db = _database.Open())
            await Import(db).CheckAsync(file);
        // SHOP-2 is closed between the preview and the import: SHOP-1's rows are not received either.
        await using (var db = _database.Open())
            await db.Outlets.Where(o => o.Code == "SHOP-2").ExecuteUpdateAsync(s => s.SetProperty(o => o.ClosedAt, new DateTime(2026, 11, 24)));

        await using (var db = _database.Open())
        {
            var refused = await Should.ThrowAsync<ValidationFailedException>(() => Import(db).ImportAsync(file, "manager"));
            refused.Errors["file"].ShouldHaveSingleItem().ShouldStartWith("1 row(s) the preview found ready cannot be received now (line 16: outletCode: Outlet 'SHOP-2' is closed");
        }
        file.Rows.First(r => r.Line == 16).Status.ShouldBe(OpeningStockRowStatus.Error);
        await using var check = _database.Open();
        (await check.Receipts.CountAsync()).ShouldBe(0);
        (await check.Batches.CountAsync()).ShouldBe(0);
        (await check.Movements.CountAsync()).ShouldBe(0);
        _notifier.Notifications.ShouldBeEmpty();
    }

    [Fact]
    public void The_header_is_read_in_any_order_with_semicolons_and_a_bad_header_refuses_the_file()
    {
        var file = Parse("QUANTITY;unitCost;Barcode;outletCode;expiryDate\n3;1.50;5012345678900;SHOP-1;2027-01-31\n");
        file.Error.ShouldBeNull();
        file.Rows.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            r => r.Barcode.ShouldBe("5012345678900"), r => r.Sku.ShouldBeNull(), r => r.Quantity.ShouldBe(3), r => r.UnitCost.ShouldBe(1.50m),
            r => r.OutletCode.ShouldBe("SHOP-1"), r => r.ExpiryDate.ShouldBe(new DateOnly(2027, 1, 31)), r => r.Errors.ShouldBeEmpty());

        Parse("outletCode,sku,quantity\nSHOP-1,PARA,1").Error.ShouldNotBeNull().ShouldStartWith("The header lacks the column unitCost.");
        Parse("outletCode,quantity,unitCost\nSHOP-1,1,1").Error.ShouldNotBeNull().ShouldStartWith("The header needs a sku or a barcode column");
        Parse("outletCode,sku,quantity,unitCost,colour\nSHOP-1,PARA,1,1,red").Error.ShouldNotBeNull().ShouldStartWith("Unknown column 'colour' in the header.");
        Parse("").Error.ShouldNotBeNull().ShouldStartWith("The file is empty");
        var missing = Parse("outletCode,sku,quantity,unitCost\n,,,\n").Rows.ShouldHaveSingleItem();
        missing.Errors.Keys.ShouldBe(["outletCode", "sku", "quantity", "unitCost"], ignoreOrder: true);
        Parse("outletCode,sku,quantity,unitCost\nSHOP-1,PARA,1,\"1,50\"\n").Rows.Single().Errors["unitCost"]
            .ShouldBe("unitCost '1,50' is not a number (use a dot for decimals: 12.50).");
    }

    [Fact]
    public async Task Checking_and_importing_take_as_many_commands_for_1000_rows_as_for_10()
    {
        await ShopAsync();
        async Task<(int Check, int Import)> CountAsync(int rows, string outlet)
        {
            var csv = new System.Text.StringBuilder("outletCode,sku,barcode,lotNumber,expiryDate,quantity,unitCost\n");
            for (var i = 0; i < rows; i++)
                csv.Append(i % 3 == 0 ? $"{outlet},,5012345678900,L{i},2027-06-30,2,1.10\n" : $"{outlet},PARA,,L{i},2027-06-30,1,0.90\n");
            var file = Parse(csv.ToString(), $"{outlet}.csv");
            var counter = new CommandCounter();
            await using var db = _database.Open(counter);
            await Import(db).CheckAsync(file);
            var check = counter.Count;
            file.Ready.ShouldBe(rows);
            counter.Reset();
            (await Import(db).ImportAsync(file, "manager")).ShouldHaveSingleItem().Rows.ShouldBe(rows);
            return (check, counter.Count);
        }

        var small = await CountAsync(10, "SHOP-1");
        var large = await CountAsync(1000, "SHOP-2");
        large.ShouldBe(small);
        await using var check = _database.Open();
        (await check.Movements.CountAsync()).ShouldBe(1010);
    }
}
