using BackOffice.Core.Inventory;

namespace BackOffice.Core.Tests.Inventory;

public sealed class MovementReferenceTests
{
    [Fact]
    public void Each_document_writes_its_kind_and_id_and_reads_back_the_same()
    {
        var id = Guid.Parse("7b0c2f6e-5d1a-4c3b-9e8f-0a1b2c3d4e5f");
        MovementReference.Sale(id).ToString().ShouldBe("sale:7b0c2f6e-5d1a-4c3b-9e8f-0a1b2c3d4e5f");
        MovementReference.StockTake(12).ToString().ShouldBe("stocktake:12");
        MovementReference.Adjustment(AdjustmentReason.Damage).ToString().ShouldBe("adjustment:damage");
        MovementReference.Expiry(new DateTime(2026, 11, 24, 5, 5, 30, DateTimeKind.Utc)).ToString().ShouldBe("expiry:2026-11-24T05:05Z");
        foreach (var reference in new[] { MovementReference.Sale(id), MovementReference.Return(id), MovementReference.Receipt(id), MovementReference.Transfer(id), MovementReference.StockTake(3) })
            MovementReference.Parse(reference.ToString()).ShouldBe(reference);
    }

    [Fact]
    public void Each_reference_reads_as_its_kind_and_the_start_of_its_id()
    {
        var id = Guid.Parse("7b0c2f6e-5d1a-4c3b-9e8f-0a1b2c3d4e5f");
        MovementReference.Sale(id).Text.ShouldBe("Sale 7b0c2f6e…");
        MovementReference.Return(id).Text.ShouldBe("Return 7b0c2f6e…");
        MovementReference.Receipt(id).Text.ShouldBe("Receipt 7b0c2f6e…");
        MovementReference.Transfer(id).Text.ShouldBe("Transfer 7b0c2f6e…");
        MovementReference.StockTake(12).Text.ShouldBe("Stock take #12");
        MovementReference.Adjustment(AdjustmentReason.Damage).Text.ShouldBe("Adjustment: damage");
        MovementReference.Expiry(new DateTime(2026, 11, 24, 5, 5, 0, DateTimeKind.Utc)).Text.ShouldBe("Expiry run 2026-11-24T05:05Z");
        MovementReference.Sale(id).DocumentId.ShouldBe(id);
        MovementReference.StockTake(12).DocumentId.ShouldBeNull();
        MovementReference.Parse("legacy:x")!.Value.Text.ShouldBe("legacy:x");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test")]
    [InlineData(":12")]
    [InlineData("sale:")]
    public void Text_that_is_no_reference_reads_as_none(string? text) => MovementReference.Parse(text).ShouldBeNull();
}
