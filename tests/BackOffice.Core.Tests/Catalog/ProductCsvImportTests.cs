using BackOffice.Core.Catalog;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Catalog;

public sealed class ProductCsvImportTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    private static ProductImportFile Parse(string csv) => ProductCsvImport.Parse(new StringReader(csv));

    [Fact]
    public void Good_rows_are_read_in_any_column_order_and_case_with_invariant_numbers()
    {
        var file = Parse("""
            NAME,Sku,price,barcode,ReorderLevel,tracksexpiry,active
            Ibuprofen 200 mg,IBU-200,4.50,5012345678900,10,true,yes
            "Paracetamol, 500 mg",PARA-500,1234.5,,,false,
            """);

        file.Error.ShouldBeNull();
        file.Rows.Count.ShouldBe(2);
        file.Rows.ShouldAllBe(r => r.IsValid);
        var ibu = file.Rows[0];
        ibu.Line.ShouldBe(2);
        ibu.Sku.ShouldBe("IBU-200");
        ibu.Changes.ShouldBe(new ProductChanges("Ibuprofen 200 mg", "5012345678900", 4.50m, 10, true, true));
        var para = file.Rows[1];
        para.Line.ShouldBe(3);
        para.Changes.ShouldBe(new ProductChanges("Paracetamol, 500 mg", null, 1234.5m, null, false, null));
    }

    [Fact]
    public void A_bad_price_a_missing_name_and_bad_flags_are_errors_of_their_row_only()
    {
        var file = Parse("""
            sku,name,price,reorderLevel,tracksExpiry
            A-1,Good,1.00,,
            A-2,Bad price,1,50,,
            A-3,,2.00,,
            A-4,Negative,-1,,
            A-5,Cents,1.005,,
            A-6,Reorder,1,-3,
            A-7,Flag,1,,maybe
            """);

        file.Error.ShouldBeNull();
        var byLine = file.Rows.ToDictionary(r => r.Sku);
        byLine["A-1"].Status.ShouldBe(ImportRowStatus.New);
        byLine["A-1"].IsValid.ShouldBeTrue();
        // "1,50" splits into two fields: the row is longer than the header, and "1" is not the intended price.
        byLine["A-2"].Errors.ShouldContainKey("row");
        byLine["A-3"].Errors["name"].ShouldBe("name is required.");
        byLine["A-4"].Errors["price"].ShouldBe("price must not be negative.");
        byLine["A-5"].Errors["price"].ShouldBe("price has more than 2 decimals.");
        byLine["A-6"].Errors["reorderLevel"].ShouldBe("reorderLevel must not be negative.");
        byLine["A-7"].Errors["tracksExpiry"].ShouldBe("tracksExpiry 'maybe' is not true or false.");
        file.Rows.Where(r => r.Sku != "A-1").ShouldAllBe(r => r.Status == ImportRowStatus.Error);
        file.Valid.ShouldBe(1);

        Parse("sku,name,price\nB-1,Comma price,\"1,50\"").Rows.Single().Errors["price"].ShouldBe("price '1,50' is not a number (use a dot for decimals: 12.50).");
        Parse("sku,name,price\nB-2,No price,").Rows.Single().Errors["price"].ShouldBe("price is required.");
    }

    [Fact]
    public void A_sku_or_barcode_twice_in_the_file_fails_the_later_rows()
    {
        var file = Parse("""
            sku,name,price,barcode
            D-1,First,1,111
            D-2,Second,1,222
            D-1,Again,1,333
            D-3,Same barcode,1,222
            """);

        file.Rows[0].IsValid.ShouldBeTrue();
        file.Rows[1].IsValid.ShouldBeTrue();
        file.Rows[2].Errors["sku"].ShouldBe("The sku 'D-1' is already on line 2 of the file.");
        file.Rows[3].Errors["barcode"].ShouldBe("The barcode '222' is already on line 3 of the file.");
    }

    [Theory]
    [InlineData("sku,name,price,colour\nX,Y,1", "Unknown column 'colour' in the header")]
    [InlineData("sku,name\nX,Y", "The header lacks the column price")]
    [InlineData("IBU-200,Ibuprofen,4.50\n", "Unknown column 'IBU-200' in the header")]
    [InlineData("sku,name,price,SKU\nX,Y,1,Z", "The column 'sku' appears twice in the header")]
    [InlineData("", "The file is empty")]
    public void A_bad_header_refuses_the_whole_file(string csv, string message)
    {
        var file = Parse(csv);
        file.Error.ShouldNotBeNull().ShouldStartWith(message);
        file.Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_catalog_check_tells_new_from_update_and_refuses_a_barcode_of_another_product_then_the_import_saves_each_valid_row()
    {
        var shop = new Shop(_database, _clock);
        await shop.ProductAsync("OLD-1", price: 2.00m, reorderLevel: 7);
        var holder = await shop.ProductAsync("HOLDER");
        await shop.BarcodeAsync(holder, "999");

        var file = Parse("""
            sku,name,price,barcode,active
            OLD-1,Old one renamed,2.50,,
            NEW-1,New one,3.00,123,
            NEW-2,Steals a barcode,3.00,999,
            NEW-3,,3.00,,
            HOLDER,Holder changes its barcode,1.00,998,false
            """);
        await using (var db = _database.Open())
            await ProductCsvImport.CheckAgainstCatalogAsync(db, file);

        file.Rows.Select(r => r.Status).ShouldBe([ImportRowStatus.Update, ImportRowStatus.New, ImportRowStatus.Error, ImportRowStatus.Error, ImportRowStatus.Update]);
        file.Rows[2].Errors["barcode"].ShouldBe("The barcode '999' belongs to HOLDER.");

        var progress = new List<ProductImportProgress>();
        ProductImportSummary summary;
        await using (var db = _database.Open())
            summary = await ProductCsvImport.ImportAsync(db, _clock, file.Rows, new SyncProgress(progress.Add));

        summary.ShouldSatisfyAllConditions(s => s.Created.ShouldBe(1), s => s.Updated.ShouldBe(2), s => s.Failed.ShouldBe(0));
        progress.ShouldBe([new(1, 3), new(2, 3), new(3, 3)]);
        await using var check = _database.Open();
        var products = await check.Products.OrderBy(p => p.Sku).ToDictionaryAsync(p => p.Sku);
        products.Keys.ShouldBe(["HOLDER", "NEW-1", "OLD-1"], ignoreOrder: true);
        products["OLD-1"].ShouldSatisfyAllConditions(p => p.Name.ShouldBe("Old one renamed"), p => p.Price.ShouldBe(2.50m), p => p.ReorderLevel.ShouldBe(7));
        products["NEW-1"].ShouldSatisfyAllConditions(p => p.Barcode.ShouldBe("123"), p => p.Active.ShouldBeTrue());
        products["HOLDER"].ShouldSatisfyAllConditions(p => p.Active.ShouldBeFalse(), p => p.Barcode.ShouldBe("998"));
    }

    [Fact]
    public async Task A_row_the_save_refuses_is_counted_as_failed_and_the_others_are_still_saved()
    {
        var file = Parse("""
            sku,name,price,barcode
            R-1,First,1,777
            R-2,Second,1,
            """);
        await using (var db = _database.Open())
            await ProductCsvImport.CheckAgainstCatalogAsync(db, file);
        // Another user takes the barcode between the preview and the import.
        var shop = new Shop(_database, _clock);
        var other = await shop.ProductAsync("OTHER");
        await shop.BarcodeAsync(other, "777");

        ProductImportSummary summary;
        await using (var db = _database.Open())
            summary = await ProductCsvImport.ImportAsync(db, _clock, file.Rows);

        summary.Created.ShouldBe(1);
        summary.Failures.ShouldHaveSingleItem().ShouldSatisfyAllConditions(f => f.Line.ShouldBe(2), f => f.Sku.ShouldBe("R-1"),
            f => f.Message.ShouldBe("Barcode 777 belongs to product 'OTHER'."));
        await using var check = _database.Open();
        (await check.Products.AnyAsync(p => p.Sku == "R-1")).ShouldBeFalse();
        (await check.Products.AnyAsync(p => p.Sku == "R-2")).ShouldBeTrue();
    }

    [Fact]
    public async Task The_catalog_check_is_one_command_for_a_file_of_5000_rows()
    {
        var shop = new Shop(_database, _clock);
        await shop.ProductAsync("BULK-00042");
        var csv = new System.Text.StringBuilder("sku,barcode,name,price\n");
        for (var i = 0; i < 5000; i++) csv.Append($"BULK-{i:D5},{7_000_000 + i},Bulk {i},1.00\n");
        var file = Parse(csv.ToString());

        var counter = new CommandCounter();
        await using (var db = _database.Open(counter))
            await ProductCsvImport.CheckAgainstCatalogAsync(db, file);

        counter.Count.ShouldBe(1);
        file.Rows.Count.ShouldBe(5000);
        file.Rows.Count(r => r.Status == ImportRowStatus.Update).ShouldBe(1);
        file.Rows.Count(r => r.Status == ImportRowStatus.New).ShouldBe(4999);
    }

    private sealed class SyncProgress(Action<ProductImportProgress> report) : IProgress<ProductImportProgress>
    {
        public void Report(ProductImportProgress value) => report(value);
    }
}
