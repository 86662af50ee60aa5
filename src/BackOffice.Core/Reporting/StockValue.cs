using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Core.Outlets;

namespace BackOffice.Core.Reporting;

/// <summary>
/// Stock value, the one definition every page uses: stock on hand at its batches' unit cost, split by each batch's own
/// outlet's today (<see cref="ExpiryRule"/>) into sellable stock, whose cost is "stock value at cost", and stock that may
/// not be sold (expired, or quarantined by a recall), a figure of its own that is never inside the value. Per outlet, in
/// the outlet's currency.
/// </summary>
internal static class StockValue
{
    /// <summary>Batches holding stock (narrowed by the filter's outlet and product), and those of them not sellable.</summary>
    public static (IQueryable<Batch> All, IQueryable<Batch> Expired) Held(BackOfficeDb db, OutletDays days, ReportFilter filter)
    {
        var batches = db.Batches.Where(b => b.OnHand > 0);
        if (filter.OutletId is { } outletId) batches = batches.Where(b => b.OutletId == outletId);
        if (filter.ProductSearch is { } search) batches = batches.Where(b => ReportFilters.ProductIds(db, search).Contains(b.ProductId));
        return (batches, batches.Where(ExpiryRule.IsUnsellable(days)));
    }

    /// <summary>Per outlet holding stock, by outlet code: one query (all stock grouped, joined to the expired stock grouped).</summary>
    public static IQueryable<OutletStockValue> ByOutlet(BackOfficeDb db, OutletDays days, ReportFilter filter, BaseCurrency baseCurrency)
    {
        var (all, expired) = Held(db, days, filter);
        return from a in all.GroupBy(b => b.OutletId).Select(g => new { OutletId = g.Key, OnHand = g.Sum(b => b.OnHand), Value = g.Sum(b => b.OnHand * (double)b.UnitCost) })
               join e in expired.GroupBy(b => b.OutletId).Select(g => new { OutletId = g.Key, OnHand = g.Sum(b => b.OnHand), Value = g.Sum(b => b.OnHand * (double)b.UnitCost) })
                   on a.OutletId equals e.OutletId into ej
               from e in ej.DefaultIfEmpty()
               join o in db.OutletCurrencies(baseCurrency) on a.OutletId equals o.Id
               orderby o.Code
               select new OutletStockValue(a.OutletId, o.Code, o.Currency, a.OnHand, a.OnHand - ((int?)e.OnHand ?? 0), (int?)e.OnHand ?? 0,
                   Reports.Cents(a.Value - ((double?)e.Value ?? 0)), Reports.Cents((double?)e.Value ?? 0));
    }

    /// <summary>Per (outlet, product) holding stock, by outlet and product name: one query, streamable.</summary>
    public static IQueryable<StockValueRow> ByProduct(BackOfficeDb db, OutletDays days, ReportFilter filter, BaseCurrency baseCurrency)
    {
        var (all, expired) = Held(db, days, filter);
        return from a in all.GroupBy(b => new { b.OutletId, b.ProductId })
                   .Select(g => new { g.Key.OutletId, g.Key.ProductId, OnHand = g.Sum(b => b.OnHand), Value = g.Sum(b => b.OnHand * (double)b.UnitCost) })
               join e in expired.GroupBy(b => new { b.OutletId, b.ProductId })
                   .Select(g => new { g.Key.OutletId, g.Key.ProductId, OnHand = g.Sum(b => b.OnHand), Value = g.Sum(b => b.OnHand * (double)b.UnitCost) })
                   on new { a.OutletId, a.ProductId } equals new { e.OutletId, e.ProductId } into ej
               from e in ej.DefaultIfEmpty()
               join o in db.OutletCurrencies(baseCurrency) on a.OutletId equals o.Id
               join p in db.Products on a.ProductId equals p.Id
               orderby o.Code, p.Name, p.Sku
               select new StockValueRow(a.OutletId, o.Code, a.ProductId, p.Sku, p.Name, o.Currency, a.OnHand, a.OnHand - ((int?)e.OnHand ?? 0), (int?)e.OnHand ?? 0,
                   Reports.Cents(a.Value - ((double?)e.Value ?? 0)), Reports.Cents((double?)e.Value ?? 0));
    }
}
