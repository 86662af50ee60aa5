using BackOffice.Core.Catalog;

namespace BackOffice.Core.Lots;

/// <summary>Finding products by GTIN, whichever way their barcode was typed in.</summary>
public static class GtinLookup
{
    /// <summary>
    /// The products one of whose barcodes is <paramref name="barcode"/>'s GTIN compared as GTIN-14 (<c>05012345678900</c> finds
    /// <c>5012345678900</c>): an equality on the barcodes' key, which its unique index answers. None when it is no valid GTIN.
    /// </summary>
    public static IQueryable<Product> WithGtin(this IQueryable<Product> products, string barcode)
    {
        var gtin14 = Gtin.ToGtin14(barcode);
        return products.Where(p => gtin14 != null && p.Barcodes.Any(b => b.Key == gtin14));
    }
}
