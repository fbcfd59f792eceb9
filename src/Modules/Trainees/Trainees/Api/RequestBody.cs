using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>The body of a trainee API request that changes something: <c>{"data":{...}}</c>, read into <see cref="RequestData"/>.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The answer of an endpoint that takes a trainee's part or a lifecycle step when a field breaks the text rule
    /// (control characters), given before anything is looked up: <c>{"errors":[{"error":"UnprocessableEntity","message":"subject must not contain control characters"}]}</c>.
    /// </summary>
    public static IResult? RefuseControlCharacters(RequestData data, TraineeApiVersion version) =>
        data.ControlCharacterErrors().Select(e => version.Say(e.FullMessage)).ToList() is { Count: > 0 } errors ? TraineeApiResults.Unprocessable(errors) : null;

    /// <summary>
    /// Reads <c>{"data":{...}}</c> from the body: a body that is not JSON is a 400 <c>{"errors":["..."]}</c>, a missing or
    /// empty <c>data</c> a 422 <c>{"errors":["Param is missing or the value is empty or invalid: data"]}</c>.
    /// </summary>
    public static async Task<(RequestData? Data, IResult? Error)> ReadAsync(HttpRequest request, TraineeApiVersion version, CancellationToken ct)
    {
        JsonObject fields;
        try
        {
            var body = request.ContentLength == 0 ? null : await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            if (body is not JsonObject root || !root.TryGetPropertyValue("data", out var data) || data is not JsonObject found || found.Count == 0)
            {
                return (null, TraineeApiResults.MissingData());
            }

            fields = found;
            // Reading every value here, inside the try, finds what the parser lets through: a key sent twice, a lone surrogate.
            RequestData.ReadEvery(fields);
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

        return (RequestData.From(fields, version), null);
    }

    /// <summary>The parser's complaint, as a sentence that says where.</summary>
    private static string Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}")
            : "";
        return $"The request body is not valid JSON{where}";
    }
}
