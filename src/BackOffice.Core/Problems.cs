// Bad input and conflicts, as every feature reports them (the API maps them to problem details, pages show them by field).

namespace BackOffice.Core;

/// <summary>Bad input: nothing was changed. Errors are keyed by field as the API reports them ("lines[0].quantity").</summary>
public sealed class ValidationFailedException(string title, IReadOnlyDictionary<string, string[]> errors) : Exception(title)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The same idempotency key arrived with different content.</summary>
public sealed class IdempotencyConflictException(string message) : Exception(message);

/// <summary>Collects field errors while validating a request.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Adds an error and returns the collection, for one-line checks.</summary>
    public Problems Also(string field, string message)
    {
        Add(field, message);
        return this;
    }

    public bool Any => _errors.Count > 0;

    public void ThrowIfAny(string title)
    {
        if (Any) throw new ValidationFailedException(title, _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    public static bool HasAtMostTwoDecimals(decimal value) => decimal.Round(value, 2) == value;
}
