namespace BackOffice.Web.Components;

/// <summary>
/// The field-keyed errors of a <see cref="ValidationFailedException"/>, for showing each message on its field
/// (<c>Error="@errors.Has("sku")" ErrorText="@errors["sku"]"</c>). Keys compare case-insensitively ("lines[0].sku").
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);

    public string? Title { get; private set; }

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? this[string field] => _errors.GetValueOrDefault(field);

    /// <summary>Messages whose field the form does not show, so that no error goes unseen.</summary>
    public IEnumerable<string> Except(params string[] shownFields) =>
        _errors.Where(e => !shownFields.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).Select(e => e.Value);

    public void Set(ValidationFailedException error)
    {
        _errors.Clear();
        Title = error.Message;
        foreach (var (field, messages) in error.Errors) _errors[field] = string.Join(" ", messages);
    }

    public void Add(string field, string message) => _errors[field] = message;

    public void Remove(string field) => _errors.Remove(field);

    public void Clear()
    {
        _errors.Clear();
        Title = null;
    }
}
