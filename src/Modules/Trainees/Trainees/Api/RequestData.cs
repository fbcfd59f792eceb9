using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>
/// The <c>data</c> object of a trainee API request, with its keys in Register's names for the request's version. As in
/// the reference (Rails strong parameters): keys the endpoint does not know are dropped, and a structure where a single
/// value belongs is no value at all.
/// </summary>
internal sealed class RequestData
{
    private readonly Dictionary<string, JsonNode?> _values;

    private RequestData(Dictionary<string, JsonNode?> values) => _values = values;

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>
    /// Reads <c>{"data":{...}}</c> from the body: a body that is not JSON is a 400 <c>{"errors":["..."]}</c>, a missing or
    /// empty <c>data</c> a 422 <c>{"errors":["Param is missing or the value is empty or invalid: data"]}</c>.
    /// </summary>
    public static async Task<(RequestData? Data, IResult? Error)> ReadAsync(HttpRequest request, TraineeApiVersion version, CancellationToken ct)
    {
        JsonObject fields;
        string? unstorable;
        try
        {
            var body = request.ContentLength == 0 ? null : await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            if (body is not JsonObject root || !root.TryGetPropertyValue("data", out var data) || data is not JsonObject found || found.Count == 0)
            {
                return (null, TraineeApiResults.MissingData());
            }

            fields = found;
            // Reading every value here, inside the try, finds what the parser lets through: a key sent twice, a lone surrogate.
            unstorable = Unstorable(fields);
        }
        catch (JsonException ex)
        {
            return (null, TraineeApiResults.Plain(StatusCodes.Status400BadRequest, Describe(ex)));
        }
        catch (ArgumentException)
        {
            return (null, TraineeApiResults.Plain(StatusCodes.Status400BadRequest, "The request body is not valid JSON: an object has the same key twice"));
        }
        catch (InvalidOperationException)
        {
            return (null, TraineeApiResults.Plain(StatusCodes.Status400BadRequest, "The request body is not valid JSON: a string is not valid UTF-16 (a lone surrogate)"));
        }

        // PostgreSQL cannot store U+0000 in text: a value holding one is refused here, naming it, not failed on later.
        return unstorable is { } field
            ? (null, TraineeApiResults.Unprocessable($"{field} is invalid: it contains the character U+0000"))
            : (From(fields, version), null);
    }

    /// <summary>The first field (a path like <c>degrees_attributes[0].subject</c>) whose text holds U+0000, if any; reads every value.</summary>
    private static string? Unstorable(JsonNode? node, string path = "") => node switch
    {
        JsonObject obj => obj.Select(p => Unstorable(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")).ToList().FirstOrDefault(f => f is not null),
        JsonArray array => array.Select((item, i) => Unstorable(item, $"{path}[{i}]")).ToList().FirstOrDefault(f => f is not null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\0', StringComparison.Ordinal) => path,
        _ => null,
    };

    /// <summary>The fields of one object (a trainee, or one of its degrees or placements), renamed for the version.</summary>
    public static RequestData From(JsonObject fields, TraineeApiVersion version)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (version.Canonical(key) is { } field)
            {
                values[field] = value;
            }
        }

        return new RequestData(values);
    }

    public bool Has(string field) => _values.ContainsKey(field);

    /// <summary>The field was sent as an empty or blank string (not <c>null</c>): on an update, that empties it.</summary>
    public bool IsEmpty(string field) =>
        _values.TryGetValue(field, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && string.IsNullOrWhiteSpace(value.GetValue<string>());

    /// <summary>A single value as text, trimmed (numbers as written, true/false); null when absent, null, blank or a structure.</summary>
    public string? Text(string field) =>
        _values.TryGetValue(field, out var node) && node is JsonValue value ? Blank(ScalarText(value)) : null;

    /// <summary>The objects of an array field (<c>degrees_attributes</c>); anything else in it is skipped.</summary>
    public IReadOnlyList<JsonObject> Objects(string field) =>
        _values.TryGetValue(field, out var node) && node is JsonArray array ? array.OfType<JsonObject>().ToList() : [];

    /// <summary>The text values of an array field (withdrawal <c>reasons</c>); null when it is absent or not an array, as strong parameters drop it.</summary>
    public IReadOnlyList<string>? TextArray(string field) =>
        _values.TryGetValue(field, out var node) && node is JsonArray array
            ? array.OfType<JsonValue>().Select(ScalarText).Select(Blank).OfType<string>().ToList()
            : null;

    private static string? ScalarText(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The parser's complaint, as a sentence that says where.</summary>
    private static string Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}")
            : "";
        return $"The request body is not valid JSON{where}";
    }
}
