using BackOffice.Core.Catalog;

namespace BackOffice.Core.Lots;

/// <summary>Finding products by GTIN, whichever way their barcode was typed in.</summary>
public static class GtinLookup
{
    /// <summary>
    /// The products whose barcode is <paramref name="barcode"/>'s GTIN compared as GTIN-14 (<c>05012345678900</c> finds
    /// <c>5012345678900</c>): an IN over its few spellings, so the barcode index answers it. None when it is no valid GTIN.
    /// </summary>
    public static IQueryable<Product> WithGtin(this IQueryable<Product> products, string barcode)
    {
        var spellings = Gtin.Spellings(barcode);
        return products.Where(p => p.Barcode != null && spellings.Contains(p.Barcode));
    }
}
