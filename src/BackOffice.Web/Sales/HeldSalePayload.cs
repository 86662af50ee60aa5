using System.Globalization;
using System.Text.Json;
using BackOffice.Core.Sales;

namespace BackOffice.Web.Sales;

/// <summary>What a till sent for a held sale, read for a manager to look at and correct before recording it.</summary>
public static class HeldSalePayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed class Draft
    {
        public string OccurredAt { get; set; } = "";
        public List<Line> Lines { get; } = [];
        public List<PaymentRequest> Payments { get; } = [];
        public bool KeepPayments { get; set; } = true;

        /// <summary>The till's time to the tick: an unchanged sale is recorded with exactly the content the till sent.</summary>
        internal DateTimeOffset? SentAt { get; init; }

        public SaleRequest ToRequest(Guid saleId)
        {
            var at = default(DateTimeOffset);
            if (SentAt is { } sent && OccurredAt == Format(sent)) at = sent;
            else if (!DateTimeOffset.TryParse(OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
                new Problems().Also("occurredAt", "Give the time as 2026-11-24T10:15:00+01:00.").ThrowIfAny("The sale is not valid.");
            return new SaleRequest(saleId, at, Lines.Select(l => new SaleLineRequest(l.Sku.Trim(), l.Quantity, l.UnitPrice, l.LotNumber)).ToList(),
                KeepPayments && Payments.Count > 0 ? Payments : null);
        }
    }

    public sealed class Line
    {
        public string Sku { get; set; } = "";
        public int Quantity { get; set; }
        public decimal UnitPrice { get; set; }
        /// <summary>The lot the till scanned, kept as sent.</summary>
        public string? LotNumber { get; set; }
    }

    /// <summary>The sale in an editable form, or null when the payload is not a sale at all (it can then only be written off).</summary>
    public static Draft? Read(string payload)
    {
        SaleBody? body;
        try
        {
            body = JsonSerializer.Deserialize<SaleBody>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (body?.Lines is not { Count: > 0 } lines) return null;
        var draft = new Draft { OccurredAt = body.OccurredAt is { } at ? Format(at) : "", SentAt = body.OccurredAt };
        foreach (var line in lines.Where(l => l is not null).Take(SaleRecorder.Bounds.MaxLines))
            draft.Lines.Add(new Line { Sku = line!.Sku ?? "", Quantity = line.Quantity ?? 0, UnitPrice = line.UnitPrice ?? 0, LotNumber = line.LotNumber });
        foreach (var payment in body.Payments?.Where(p => p is not null).Take(SaleRecorder.Bounds.MaxPayments) ?? [])
            draft.Payments.Add(new PaymentRequest(payment!.Method ?? "", payment.Amount ?? 0));
        return draft;
    }

    private static string Format(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>"2 × PARA-500-16, 1 × ZINC-25MG-30" (the first few lines).</summary>
    public static string Summary(string payload)
    {
        var draft = Read(payload);
        if (draft is null) return "(not a readable sale)";
        var shown = string.Join(", ", draft.Lines.Take(3).Select(l => $"{l.Quantity.ToString(CultureInfo.InvariantCulture)} × {l.Sku}"));
        return draft.Lines.Count > 3 ? $"{shown} and {draft.Lines.Count - 3} more" : shown;
    }

    /// <summary>The field errors as one line ("lines[0].sku: Product 'X' is inactive.").</summary>
    public static string ErrorText(string? errors)
    {
        if (string.IsNullOrEmpty(errors)) return "";
        try
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, string[]>>(errors) ?? [];
            return string.Join(" ", fields.Take(5).Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")) + (fields.Count > 5 ? " …" : "");
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
