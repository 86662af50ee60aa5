using BackOffice.Core.Catalog;
using BackOffice.Core.Lots;
using BackOffice.Core.StockTakes;
using BackOffice.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Tests.Catalog;

/// <summary>Several barcodes per product, matched everywhere through one GTIN-14 key.</summary>
public sealed class ProductBarcodeTests : IDisposable
{
    private readonly ShopDatabase _database = new();
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("5012345678900", "05012345678900")]
    [InlineData("05012345678900", "05012345678900")]
    [InlineData("036000291452", "00036000291452")]
    [InlineData("96385074", "00000096385074")]
    [InlineData(" SUP-1 ", "SUP-1")]
    [InlineData("12345", "12345")]
    public void A_barcode_is_keyed_as_GTIN_14_when_it_is_one_else_as_itself(string code, string key) => ProductBarcodes.KeyOf(code).ShouldBe(key);

    [Theory]
    [InlineData("5012345678901", "check digit")]
    [InlineData("50123456", "check digit")]
    [InlineData("SUP 1", "space")]
    [InlineData("123456789012345678901234567890123", "at most 32")]
    public void A_gtin_with_a_wrong_check_digit_or_a_code_that_cannot_be_one_barcode_is_refused(string code, string message) =>
        ProductBarcodes.Problem(code).ShouldNotBeNull().ShouldContain(message);

    [Fact]
    public void A_code_that_is_not_gtin_shaped_needs_no_check_digit() => ProductBarcodes.Problem("12345").ShouldBeNull();

    [Fact]
    public async Task The_form_saves_the_other_barcodes_and_reports_a_duplicate_or_a_bad_check_digit_on_their_field()
    {
        await using var db = _database.Open();
        var catalog = new ProductCatalog(db, _clock);
        var gauze = await catalog.SaveAsync(new ProductInput(null, "GAUZE", "5012345678900", "Gauze", 2m, 0, false, Barcodes: ["036000291452", "SUP-1"]));
        (await catalog.FindAsync("GAUZE"))!.Barcodes.ShouldBe(["5012345678900", "036000291452", "SUP-1"]);

        var clash = await Should.ThrowAsync<ValidationFailedException>(() =>
            catalog.SaveAsync(new ProductInput(null, "FLOSS", "5012345670010", "Floss", 1m, 0, false, Barcodes: ["00036000291452"])));
        clash.Errors.Keys.ShouldBe(["barcodes"]);
        clash.Errors["barcodes"].ShouldHaveSingleItem().ShouldBe("The barcode '00036000291452' belongs to GAUZE.");
        var primary = await Should.ThrowAsync<ValidationFailedException>(() =>
            catalog.SaveAsync(new ProductInput(null, "FLOSS", "SUP-1", "Floss", 1m, 0, false)));
        primary.Errors.Keys.ShouldBe(["barcode"]);
        var bad = await Should.ThrowAsync<ValidationFailedException>(() =>
            catalog.SaveAsync(new ProductInput(gauze, "GAUZE", "5012345678900", "Gauze", 2m, 0, false, Barcodes: ["5012345678901"])));
        bad.Errors["barcodes"].ShouldHaveSingleItem().ShouldContain("check digit");
        (await db.Products.CountAsync(p => p.Sku == "FLOSS")).ShouldBe(0);

        // Editing: the primary moves to another code; the old primary, listed among the others, stays.
        await catalog.SaveAsync(new ProductInput(gauze, "GAUZE", "SUP-1", "Gauze", 2m, 0, false, Barcodes: ["5012345678900"]));
        (await catalog.FindAsync("GAUZE"))!.ShouldSatisfyAllConditions(p => p.Barcode.ShouldBe("SUP-1"), p => p.Barcodes.ShouldBe(["SUP-1", "5012345678900"]));
        await catalog.SaveAsync(new ProductInput(gauze, "GAUZE", null, "Gauze", 2m, 0, false, Barcodes: []));
        (await db.ProductBarcodes.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Every_lookup_finds_a_product_by_any_of_its_barcodes_in_any_gtin_spelling()
    {
        var shop = new Shop(_database, _clock);
        var outlet = await shop.OutletAsync();
        await using (var db = _database.Open())
        {
            var catalog = new ProductCatalog(db, _clock);
            await catalog.SaveAsync("GAUZE", new ProductChanges("Sterile gauze swabs", "5012345678900", 2m, 0, true, true, Barcodes: ["036000291452", "SUP-1"]));
            await catalog.SaveAsync("GUM", new ProductChanges("Chewing gum", null, 1m, 0, false, true));
            for (var i = 0; i < 30; i++) await catalog.SaveAsync($"GAUZE-{i:D2}", new ProductChanges($"Gauze roll {i}", null, 1m, 0, false, true));
        }
        await using var check = _database.Open();
        var takes = new StockTakeService(check, _clock, new RecordingNotifier());
        var take = await takes.OpenStockTakeAsync(new OpenStockTake(outlet.Id, null, Blind: false), "manager");

        (await Packs.ReadAsync(check, "(01)00036000291452(10)X", new DateOnly(2026, 11, 24))).ShouldBe(new PackScan(new Pack("GAUZE", "X", null), null));
        (await Packs.ReadAsync(check, "SUP-1", new DateOnly(2026, 11, 24))).ShouldBeNull("a plain code names no pack");
        (await check.Products.WithCode("0036000291452").Select(p => p.Sku).SingleAsync()).ShouldBe("GAUZE");
        (await check.Products.WithCode("SUP-1").Select(p => p.Sku).SingleAsync()).ShouldBe("GAUZE");
        (await check.Products.WithCode("GUM").Select(p => p.Sku).SingleAsync()).ShouldBe("GUM");

        var byBarcode = await ProductSearch.ChoicesAsync(check, "00036000291452");
        byBarcode.ShouldHaveSingleItem().Sku.ShouldBe("GAUZE");
        var byName = await ProductSearch.ChoicesAsync(check, "gauze");
        byName.Count.ShouldBe(ProductSearch.MaxChoices, "a picker offers a page, not the catalog");
        (await ProductSearch.ChoicesAsync(check, "GAUZE")).First().Sku.ShouldBe("GAUZE", "the exact sku first");
        (await ProductSearch.ChoicesAsync(check, "swab")).ShouldHaveSingleItem().Sku.ShouldBe("GAUZE");

        var skus = await ProductSearch.SkusOfAsync(check, ["GUM", "00036000291452", "05012345678900", "NOPE"]);
        skus.ShouldBe(new Dictionary<string, string> { ["GUM"] = "GUM", ["00036000291452"] = "GAUZE", ["05012345678900"] = "GAUZE" });

        var line = await takes.RecordCountAsync(take, "00036000291452", null, 3);
        (await check.StockTakeLines.Where(l => l.Id == line).Select(l => l.ProductId).SingleAsync())
            .ShouldBe(await check.Products.Where(p => p.Sku == "GAUZE").Select(p => p.Id).SingleAsync());
    }

    [Fact]
    public async Task A_csv_barcodes_column_replaces_the_other_barcodes_and_refuses_one_of_another_product_or_another_row()
    {
        await using (var db = _database.Open())
            await new ProductCatalog(db, _clock).SaveAsync("HOLDER", new ProductChanges("Holder", null, 1m, 0, false, true, Barcodes: ["036000291452"]));
        var file = ProductCsvImport.Parse(new StringReader("""
            sku,name,price,barcode,barcodes
            A-1,First,1,5012345678900,SUP-1 | SUP-2
            A-2,Takes a holder's,1,,00036000291452
            A-3,Repeats line 2,1,,05012345678900
            A-4,Bad digit,1,,5012345678901
            A-5,None,1,,
            """));
        await using (var db = _database.Open())
            await ProductCsvImport.CheckAgainstCatalogAsync(db, file);

        file.Rows[0].Changes.Barcodes.ShouldBe(["SUP-1", "SUP-2"]);
        file.Rows[0].IsValid.ShouldBeTrue();
        file.Rows[1].Errors["barcodes"].ShouldBe("The barcode '00036000291452' belongs to HOLDER.");
        file.Rows[2].Errors["barcodes"].ShouldBe("The barcode '05012345678900' is already on line 2 of the file.");
        file.Rows[3].Errors["barcodes"].ShouldContain("check digit");
        file.Rows[4].IsValid.ShouldBeTrue();

        await using (var db = _database.Open())
            (await ProductCsvImport.ImportAsync(db, _clock, file.Rows)).Created.ShouldBe(2);
        await using var check = _database.Open();
        (await check.ProductBarcodes.Where(b => b.Product.Sku == "A-1").OrderBy(b => b.Key).Select(b => b.Key).ToListAsync())
            .ShouldBe(["05012345678900", "SUP-1", "SUP-2"]);
    }

    [Fact]
    public async Task Gs1_receipt_lines_are_read_in_one_query_and_each_unreadable_one_named()
    {
        await using (var db = _database.Open())
            await new ProductCatalog(db, _clock).SaveAsync("GAUZE", new ProductChanges("Gauze", "5012345678900", 1m, 0, true, true));
        await using var check = _database.Open();
        var problems = new Problems();
        var lines = await Packs.ReadReceiptLinesAsync(check, ["(01)05012345678900(17)270300(10)L7", null, "(01)00036000291452(10)X", "(17)270300"], new DateOnly(2026, 11, 24), problems);

        lines.Keys.ShouldBe([0]);
        lines[0].ShouldBe(new Pack("GAUZE", "L7", new DateOnly(2027, 3, 31)));
        var errors = Should.Throw<ValidationFailedException>(() => problems.ThrowIfAny("x")).Errors;
        errors.Keys.ShouldBe(["lines[2].gs1", "lines[3].gs1"], ignoreOrder: true);
        errors["lines[2].gs1"].ShouldHaveSingleItem().ShouldBe("No product has the barcode 00036000291452.");
    }
}
