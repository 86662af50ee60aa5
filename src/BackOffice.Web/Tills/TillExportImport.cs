using System.Text.Json;
using BackOffice.Core.Data;
using BackOffice.Core.Inventory;
using BackOffice.Web.Sales;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Tills;

public sealed record TillExportResult(int TillId, string TillName, string OutletCode, IReadOnlyList<SyncSaleResult> Sales, IReadOnlyList<SyncReturnResult> Returns)
{
    public int Recorded => Sales.Count(s => s.Status == "recorded");
    public int Duplicates => Sales.Count(s => s.Status == "duplicate");
    public int Held => Sales.Count(s => s.Status == "rejected" && s.Held == true);
    public int NotHeld => Sales.Count(s => s.Status == "rejected" && s.Held != true);
    public int ReturnsRecorded => Returns.Count(r => r.Status is "recorded" or "duplicate");
    public int ReturnsRejected => Returns.Count(r => r.Status == "rejected");
}

/// <summary>
/// The file a till writes with "Export unsent sales" (a device that will never be connected again), recorded as its till
/// by the same path as the sync route: each saleId once, rejected ones into the rejected-sales queue. A revoked till's
/// file is accepted: that is what it is for.
/// </summary>
public sealed class TillExportImport(BackOfficeDb db, TillSync sync)
{
    public const string Format = "backoffice-till-export";
    public const long MaxBytes = 20 * 1024 * 1024;

    public async Task<TillExportResult> ImportAsync(ReadOnlyMemory<byte> file, CancellationToken ct = default)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file);
        }
        catch (JsonException)
        {
            throw Invalid("This is not a till's export file (it is not JSON).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != Format)
                throw Invalid("This is not a till's export file (format is not \"backoffice-till-export\").");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
                throw Invalid("This export was written by another version of the till (version 1 is read).");
            if (!root.TryGetProperty("till", out var till) || till.ValueKind != JsonValueKind.Object
                || !till.TryGetProperty("tillId", out var tillIdElement) || !tillIdElement.TryGetInt32(out var tillId))
                throw Invalid("The export does not say which till wrote it.");
            var outletCode = till.TryGetProperty("outletCode", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
            var sales = Items(root, "sales");
            var returns = Items(root, "returns");

            var known = await db.Tills.AsNoTracking().Where(t => t.Id == tillId)
                .Join(db.Outlets, t => t.OutletId, o => o.Id, (t, o) => new { t.Id, t.Name, t.OutletId, o.Code }).FirstOrDefaultAsync(ct);
            if (known is null) throw Invalid($"Till {tillId} of this export is not registered here.");
            if (!string.Equals(known.Code, outletCode, StringComparison.OrdinalIgnoreCase))
                throw Invalid($"The export says outlet '{outletCode}', but till {known.Name} belongs to {known.Code}.");

            var counter = new Counter(known.OutletId, known.Id);
            var saleResults = new List<SyncSaleResult>(sales.Count);
            foreach (var sale in sales) saleResults.Add(await sync.RecordSaleAsync(sale, counter, "import", ct));
            var returnResults = new List<SyncReturnResult>(returns.Count);
            foreach (var item in returns) returnResults.Add(await sync.RecordReturnAsync(item, counter, "import", ct));
            return new TillExportResult(known.Id, known.Name, known.Code, saleResults, returnResults);
        }
    }

    private static List<JsonElement> Items(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var items) || items.ValueKind == JsonValueKind.Null) return [];
        if (items.ValueKind != JsonValueKind.Array) throw Invalid($"\"{name}\" in the export is not a list.");
        return items.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static ValidationFailedException Invalid(string message) =>
        new("The file was not imported.", new Dictionary<string, string[]> { ["file"] = [message] });
}
