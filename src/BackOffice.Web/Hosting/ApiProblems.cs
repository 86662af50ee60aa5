using System.Text.Json;
using BackOffice.Core.Catalog;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Hosting;

/// <summary>RFC 7807 answers of the API: validation (400, errors keyed by field), conflicts (409), bodies too large (413).</summary>
public static class ApiProblems
{
    /// <summary>The largest body a till may send (api.md: 413 above 1 MiB).</summary>
    public const long TillBodyLimit = 1024 * 1024;

    public static IResult Validation(string title, IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value), title: title, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Validation(string field, string message, string title = "The request is not valid.") =>
        Validation(title, new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Conflict(string title, string? detail = null) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static IResult Forbidden(string title, string? detail = null) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail);

    public static IResult NotFound(string title) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The request body is larger than {TillBodyLimit / 1024} KiB.");

    /// <summary>The problem object of an exception the engine throws for bad input (used inside sync results too).</summary>
    public static object? ProblemFor(Exception e) => e switch
    {
        ValidationFailedException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(x => x.Key, x => x.Value))
        { Title = v.Message, Status = StatusCodes.Status400BadRequest, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1" },
        IdempotencyConflictException c => new Microsoft.AspNetCore.Mvc.ProblemDetails
        { Title = c.Message, Status = StatusCodes.Status409Conflict, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10" },
        _ => null,
    };

    /// <summary>Maps the engine's "bad input" exceptions to problem details on every API group.</summary>
    public static TBuilder WithApiProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ValidationFailedException e)
            {
                return Validation(e.Message, e.Errors);
            }
            catch (IdempotencyConflictException e)
            {
                return Conflict(e.Message);
            }
            catch (BarcodeInUseException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The barcode belongs to another product.", detail: e.Message,
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [e.Field] = [e.Message] } });
            }
            catch (RequestBodyException e)
            {
                return e.Result;
            }
        });
}

/// <summary>A body that could not be read: its problem result (400 with the field that failed to parse, or 413).</summary>
public sealed class RequestBodyException(IResult result) : Exception("The request body could not be read.")
{
    public IResult Result { get; } = result;
}

/// <summary>
/// Reads JSON bodies ourselves rather than by parameter binding, so that a malformed value is a field error
/// ("lines[0].quantity") in problem details rather than a bare 400, and the body limit is enforced on every server.
/// </summary>
public sealed class ApiBody(IOptions<JsonOptions> options)
{
    public JsonSerializerOptions Json => options.Value.SerializerOptions;

    public async Task<T> ReadAsync<T>(HttpRequest request, long limit = long.MaxValue) where T : class => Parse<T>(await ReadBytesAsync(request, limit));

    /// <summary>The body as JSON of any shape (an object is checked by whoever reads it).</summary>
    public async Task<JsonElement> ReadElementAsync(HttpRequest request, long limit = long.MaxValue)
    {
        var bytes = await ReadBytesAsync(request, limit);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new RequestBodyException(ApiProblems.Validation("body", "The body is not valid JSON.", "The request body is not valid."));
        }
    }

    private async Task<byte[]> ReadBytesAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit) throw new RequestBodyException(ApiProblems.TooLarge());
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size
            && limit < long.MaxValue)
            size.MaxRequestBodySize = limit + 1;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit) throw new RequestBodyException(ApiProblems.TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestBodyException(ApiProblems.TooLarge());
        }
        if (buffer.Length == 0) throw new RequestBodyException(ApiProblems.Validation("body", "A JSON body is required."));
        return buffer.ToArray();
    }

    public T Parse<T>(ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new RequestBodyException(ApiProblems.Validation("body", "A JSON object is required."));
        }
        catch (JsonException e)
        {
            throw new RequestBodyException(ApiProblems.Validation(FieldOf(e.Path), "The value is not valid JSON of the expected type.", "The request body is not valid."));
        }
    }

    public T Parse<T>(JsonElement element, string prefix) where T : class
    {
        try
        {
            return element.Deserialize<T>(Json) ?? throw new ValidationFailedException("The request is not valid.",
                new Dictionary<string, string[]> { [prefix] = ["A JSON object is required."] });
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("The request is not valid.",
                new Dictionary<string, string[]> { [FieldOf(e.Path) is "body" ? prefix : FieldOf(e.Path)] = ["The value is not valid JSON of the expected type."] });
        }
    }

    /// <summary>"$.lines[0].quantity" → "lines[0].quantity"; the whole body is "body".</summary>
    public static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.StartsWith("$.") ? jsonPath[2..] : jsonPath.TrimStart('$');
}
