namespace BackOffice.Core.Inventory;

/// <summary>
/// First-expiry-first-out, in one place: earliest expiry first, batches without expiry last,
/// ties by receipt time then id.
/// </summary>
public static class Fefo
{
    public static IOrderedQueryable<Batch> InFefoOrder(this IQueryable<Batch> batches) =>
        batches.OrderBy(b => b.ExpiryDate == null).ThenBy(b => b.ExpiryDate).ThenBy(b => b.ReceivedAt).ThenBy(b => b.Id);

    /// <summary>The same order for batches already in memory.</summary>
    public static int Compare(DateOnly? expiryA, DateTime receivedA, Guid idA, DateOnly? expiryB, DateTime receivedB, Guid idB)
    {
        if (expiryA is null != expiryB is null) return expiryA is null ? 1 : -1;
        var c = Nullable.Compare(expiryA, expiryB);
        if (c != 0) return c;
        c = receivedA.CompareTo(receivedB);
        return c != 0 ? c : CompareIds(idA, idB);
    }

    // SQLite stores Guids as upper-case text, SQL Server with its own byte order; in memory we
    // order as SQLite's text does so that in-memory and SQLite orders agree.
    private static int CompareIds(Guid a, Guid b) =>
        string.CompareOrdinal(a.ToString().ToUpperInvariant(), b.ToString().ToUpperInvariant());

    /// <summary>
    /// Takes <paramref name="quantity"/> from candidates already in FEFO order; returns what each gives and the shortfall.
    /// </summary>
    public static (List<(T Batch, int Quantity)> Taken, int Shortfall) Allocate<T>(IEnumerable<T> fefoOrdered, Func<T, int> available, int quantity)
    {
        var taken = new List<(T, int)>();
        var left = quantity;
        foreach (var batch in fefoOrdered)
        {
            if (left == 0) break;
            var take = Math.Min(available(batch), left);
            if (take <= 0) continue;
            taken.Add((batch, take));
            left -= take;
        }
        return (taken, left);
    }
}
