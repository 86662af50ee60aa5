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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test")]
    [InlineData(":12")]
    [InlineData("sale:")]
    public void Text_that_is_no_reference_reads_as_none(string? text) => MovementReference.Parse(text).ShouldBeNull();
}
