using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// Marks endpoints whose own rules refuse control characters in their bodies, in their own validation shape (the trainee
/// API: "Validation failed: … must not contain control characters"); <see cref="InputHygiene"/> then checks only their
/// parameters and content type.
/// </summary>
public sealed class OwnTextRules
{
    public static OwnTextRules Instance { get; } = new();
}

/// <summary>
/// One input-hygiene rule for every API, before any endpoint runs (docs/adr/0017):
/// <list type="bullet">
/// <item>a query parameter or path value holding a control character is a 400 naming it;</item>
/// <item>a body sent to an endpoint that takes JSON (or CSV) must say so in <c>Content-Type</c>: otherwise 415, with what
/// that endpoint takes;</item>
/// <item>a JSON string holding a control character is a 422 naming its field (its JSON path), in the API's envelope.</item>
/// </list>
/// A page's query loses its control characters (as a browser drops tabs and new lines from an address); forms read their
/// fields through <c>FormReader</c>, which applies the same rule with a message on the page.
/// </summary>
public static class InputHygiene
{
    public static IApplicationBuilder UseInputHygiene(this IApplicationBuilder app) => app.Use(CheckAsync);

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ErrorStyle>() is null)
        {
            if (endpoint is not null)
            {
                // A page's address: control characters are dropped from its query, as browsers drop tabs and new lines from
                // an address; one in a path value is the "bad request" page (status code pages write it).
                DropControlCharactersFromQuery(context.Request);
                if (context.Request.RouteValues.Values.Any(v => v is string text && ControlCharacters.AnyIn(text)))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }
            }

            await next(context);
            return;
        }

        if (BadParameter(context) is { } parameter)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                [new ApiError(parameter, $"{parameter} {ControlCharacters.Message}")]);
            return;
        }

        // JSON endpoints insist on their content type; others (the CSV upload) judge what they are sent themselves.
        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
        if (accepts is not null && accepts.ContentTypes.Any(IsJson) && HasBody(context.Request))
        {
            if (!Accepted(context.Request.ContentType, accepts.ContentTypes))
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                    [new ApiError(null, UnsupportedMediaTypeMessage(accepts.ContentTypes))]);
                return;
            }

            if (IsJson(context.Request.ContentType) && endpoint.Metadata.GetMetadata<OwnTextRules>() is null
                && await FieldWithControlCharacterAsync(context) is { } field)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
                    [new ApiError(field, $"{field} {ControlCharacters.Message}")]);
                return;
            }
        }

        await next(context);
    }

    /// <summary>What an endpoint says when the body's content type is not one it takes.</summary>
    public static string UnsupportedMediaTypeMessage(IReadOnlyList<string> contentTypes) => contentTypes switch
    {
        [var only] when IsJson(only) => "The request body must be JSON, sent with the header Content-Type: application/json",
        _ when contentTypes.Contains("text/csv") => "The request body must be a CSV file, sent with the header Content-Type: text/csv (or as the file of a multipart/form-data form)",
        _ => $"The request body must be sent with the header Content-Type: {string.Join(" or ", contentTypes)}",
    };

    private static string? BadParameter(HttpContext context)
    {
        foreach (var (key, values) in context.Request.Query)
        {
            if (ControlCharacters.AnyIn(key) || values.Any(v => ControlCharacters.AnyIn(v)))
            {
                return ControlCharacters.Printable(key);
            }
        }

        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is string text && ControlCharacters.AnyIn(text))
            {
                return key;
            }
        }

        return null;
    }

    private static void DropControlCharactersFromQuery(HttpRequest request)
    {
        if (!request.Query.Any(q => ControlCharacters.AnyIn(q.Key) || q.Value.Any(v => ControlCharacters.AnyIn(v))))
        {
            return;
        }

        static string Clean(string? text) => string.Concat((text ?? "").Where(c => !ControlCharacters.IsForbidden(c)));
        var query = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            query.Add(Clean(key), values.Select(Clean).ToArray());
        }

        request.QueryString = query.ToQueryString();
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool Accepted(string? contentType, IReadOnlyList<string> accepted) =>
        MediaTypeHeaderValue.TryParse(contentType, out var sent)
        && accepted.Any(a => string.Equals(a, sent.MediaType.Value, StringComparison.OrdinalIgnoreCase));

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The JSON path of the first string (value or key) holding a control character. JSON cannot carry one raw, so only
    /// strings with escapes are decoded. A body that is not JSON is left to the endpoint's own answer.
    /// </summary>
    private static async Task<string?> FieldWithControlCharacterAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        context.Request.Body.Position = 0;
        try
        {
            return Scan(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var path = new List<(string? Property, int Index)>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    path.Add((property, reader.TokenType == JsonTokenType.StartArray ? 0 : -1));
                    property = null;
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    Advance(path);
                    continue;
                case JsonTokenType.PropertyName:
                    property = reader.ValueIsEscaped ? reader.GetString() : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                    if (reader.ValueIsEscaped && ControlCharacters.AnyIn(property))
                    {
                        return Describe(path, ControlCharacters.Printable(property!));
                    }

                    continue;
                case JsonTokenType.String when reader.ValueIsEscaped && ControlCharacters.AnyIn(reader.GetString()):
                    return Describe(path, property);
                default:
                    Advance(path);
                    property = null;
                    continue;
            }
        }

        return null;
    }

    /// <summary>The next element of the array we are in, if we are in one.</summary>
    private static void Advance(List<(string? Property, int Index)> path)
    {
        if (path.Count > 0 && path[^1].Index >= 0)
        {
            path[^1] = (path[^1].Property, path[^1].Index + 1);
        }
    }

    /// <summary><c>data.degrees[1].subject</c>: each level's property name, with an array's index after it.</summary>
    private static string Describe(List<(string? Property, int Index)> path, string? last)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, index) in path.Skip(1).Append((last, -1)))
        {
            if (name is not null)
            {
                text.Append(text.Length > 0 ? "." : "").Append(name);
            }

            if (index >= 0)
            {
                text.Append('[').Append(index).Append(']');
            }
        }

        return text.Length == 0 ? "body" : text.ToString();
    }
}
