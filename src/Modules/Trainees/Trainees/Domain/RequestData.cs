using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>
/// The <c>data</c> object of a trainee API request, with its keys in Register's names for the request's version. As in
/// the reference (Rails strong parameters): keys the endpoint does not know are dropped, and a structure where a single
/// value belongs is no value at all.
/// </summary>
internal sealed class RequestData
{
    /// <summary>Free-text fields that may hold more than one line: tab and new lines are allowed in them, no other control character.</summary>
    private static readonly HashSet<string> MultiLine = ["defer_reason", "another_reason", "safeguarding_concern_reasons"];

    private readonly Dictionary<string, JsonNode?> _values;
    private readonly TraineeApiVersion _version;

    private RequestData(Dictionary<string, JsonNode?> values, TraineeApiVersion version) => (_values, _version) = (values, version);

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>Reads every value, so that what the parser lets through until then (a key sent twice, a lone surrogate) throws here.</summary>
    internal static void ReadEvery(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    ReadEvery(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadEvery(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    /// <summary>
    /// Register's text rule for the fields this request sends (docs/adr/0017): a field whose text holds a control character
    /// (tab and new lines only in the multi-line reasons) breaks "must not contain control characters", reported as the
    /// endpoint reports its other rules. A degree's or placement's field is reported in its list.
    /// </summary>
    public IEnumerable<TraineeError> ControlCharacterErrors()
    {
        foreach (var (field, node) in _values)
        {
            if (field is TraineeError.Degrees or TraineeError.Placements)
            {
                foreach (var part in Objects(field).Select(o => From(o, _version)))
                {
                    foreach (var error in part.ControlCharacterErrors())
                    {
                        yield return error.In(field);
                    }
                }
            }
            else if (HasControlCharacter(node, MultiLine.Contains(field)))
            {
                yield return new TraineeError(field, Register.BuildingBlocks.Http.ControlCharacters.Message);
            }
        }
    }

    private static bool HasControlCharacter(JsonNode? node, bool multiLine) => node switch
    {
        JsonArray array => array.Any(item => HasControlCharacter(item, multiLine)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Register.BuildingBlocks.Http.ControlCharacters.AnyIn(value.GetValue<string>(), multiLine),
        _ => false,
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

        return new RequestData(values, version);
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
}
