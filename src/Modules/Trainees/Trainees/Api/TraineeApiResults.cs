using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>
/// The trainee API's answers, in the reference's shapes, which differ by case (spec §6.1): most errors are
/// <c>{"errors":[{"error":"...","message":"..."}]}</c>, validation of a trainee <c>{"message":"Validation failed: ...","errors":[...]}</c>,
/// a missing <c>data</c> or bad JSON <c>{"errors":["..."]}</c>. Bodies are JSON nodes written as they are: the keys are the
/// API's own (<c>disability1</c>, <c>course_subject_one</c>), never renamed by a naming policy.
/// </summary>
internal static class TraineeApiResults
{
    public const string StateTransitionMessage = "It’s not possible to perform this action while the trainee is in its current state";

    public static IResult Json(int status, JsonNode body) => new NodeResult(status, body);

    public static IResult Ok(JsonNode body) => Json(StatusCodes.Status200OK, body);

    public static IResult Data(int status, JsonNode? data) => Json(status, new JsonObject { ["data"] = data });

    /// <summary><c>{"errors":[{"error":"NotFound","message":"Trainee(s) not found"}]}</c>.</summary>
    public static IResult NotFound(string message = "Trainee(s) not found") => Error(StatusCodes.Status404NotFound, "NotFound", message);

    public static IResult Unprocessable(params IEnumerable<string> messages) =>
        Json(StatusCodes.Status422UnprocessableEntity, new JsonObject
        {
            ["errors"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["error"] = "UnprocessableEntity", ["message"] = m }).ToArray()),
        });

    /// <summary>A recommended, withdrawn or awarded trainee cannot be changed.</summary>
    public static IResult StateTransitionError() => Error(StatusCodes.Status422UnprocessableEntity, "StateTransitionError", StateTransitionMessage);

    /// <summary>409 with the records the request duplicates: <c>{"errors":[{"error":"Conflict","message":"..."}],"data":[...]}</c>.</summary>
    public static IResult Conflict(string message, IEnumerable<JsonNode> duplicates) =>
        Json(StatusCodes.Status409Conflict, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["error"] = "Conflict", ["message"] = message }),
            ["data"] = new JsonArray(duplicates.ToArray()),
        });

    /// <summary><c>{"errors":["..."]}</c>: the shape of a missing <c>data</c> (422) and of a body that is not JSON (400).</summary>
    public static IResult Plain(int status, string message) => Json(status, new JsonObject { ["errors"] = new JsonArray(message) });

    public static IResult MissingData() => Plain(StatusCodes.Status422UnprocessableEntity, "Param is missing or the value is empty or invalid: data");

    /// <summary>
    /// 422 for a trainee that breaks rules: <c>{"message":"Validation failed: 2 errors prohibited this trainee from being saved","errors":[...]}</c>,
    /// the full messages in the version's words; with <c>Enhanced-Errors: true</c> the errors are grouped by field instead
    /// (<c>{"first_names":["can't be blank"],"degrees_attributes":{"graduation_year":["is invalid"]}}</c>).
    /// </summary>
    public static IResult TraineeInvalid(IReadOnlyList<TraineeError> errors, TraineeApiVersion version, bool enhanced)
    {
        var message = $"Validation failed: {Errors(errors.Count)} prohibited this trainee from being saved";
        JsonNode body = enhanced
            ? Grouped(errors, version)
            : new JsonArray(errors.Select(e => (JsonNode?)version.Say(e.FullMessage)).ToArray());
        return Json(StatusCodes.Status422UnprocessableEntity, new JsonObject { ["message"] = message, ["errors"] = body });
    }

    /// <summary>Did the client ask for grouped errors (<c>Enhanced-Errors: true</c>)?</summary>
    public static bool WantsEnhancedErrors(HttpRequest request) =>
        string.Equals(request.Headers["Enhanced-Errors"].ToString().Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The grouped shape: a field's messages under its name; a degree's or placement's under its list, then its field
    /// (v2025.0 keeps those flat). Messages about a list itself sit under <c>base</c> when the list also has field errors.
    /// </summary>
    private static JsonObject Grouped(IReadOnlyList<TraineeError> errors, TraineeApiVersion version)
    {
        var top = new Dictionary<string, List<string>>();
        var nested = new Dictionary<string, Dictionary<string, List<string>>>();
        static void Put<TKey>(Dictionary<TKey, List<string>> map, TKey key, string message)
            where TKey : notnull
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            list.Add(message);
        }

        var order = new List<string>();
        foreach (var error in errors)
        {
            var field = version.Wire(error.Field);
            var message = version.Say(error.Message);
            var key = error.Group is not null && version.EnhancedErrorsGroupNested ? error.Group
                : error.Group == TraineeError.Placements ? error.Group
                : field;
            if (!order.Contains(key))
            {
                order.Add(key);
            }

            if (error.Group is not null && version.EnhancedErrorsGroupNested)
            {
                if (!nested.TryGetValue(error.Group, out var fields))
                {
                    nested[error.Group] = fields = [];
                }

                Put(fields, field, message);
            }
            else
            {
                Put(top, key, error.Group == TraineeError.Placements ? $"{field} {message}" : message);
            }
        }

        var body = new JsonObject();
        foreach (var key in order)
        {
            static JsonArray Array(List<string> messages) => new(messages.Select(m => (JsonNode?)m).ToArray());
            if (nested.TryGetValue(key, out var fields))
            {
                var group = new JsonObject();
                if (top.TryGetValue(key, out var own))
                {
                    group["base"] = Array(own);
                }

                foreach (var (field, messages) in fields)
                {
                    group[field] = Array(messages);
                }

                body[key] = group;
            }
            else
            {
                body[key] = Array(top[key]);
            }
        }

        return body;
    }

    /// <summary>422 for list filters: <c>{"message":"Validation failed: 1 error prohibited this request being run","errors":{"status":["busy is not a valid status"]}}</c>.</summary>
    public static IResult FilterInvalid(IReadOnlyDictionary<string, List<string>> errors)
    {
        var count = errors.Values.Sum(v => v.Count);
        var grouped = new JsonObject();
        foreach (var (field, messages) in errors)
        {
            grouped[field] = new JsonArray(messages.Select(m => (JsonNode?)m).ToArray());
        }

        return Json(StatusCodes.Status422UnprocessableEntity, new JsonObject
        {
            ["message"] = $"Validation failed: {Errors(count)} prohibited this request being run",
            ["errors"] = grouped,
        });
    }

    /// <summary>"1 error" or "3 errors".</summary>
    public static string Errors(int count) => count == 1 ? "1 error" : $"{count} errors";

    private static IResult Error(int status, string error, string message) =>
        Json(status, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["error"] = error, ["message"] = message }) });

    /// <summary>The reference's <c>meta</c> block of a page: <c>current_page</c>, <c>total_pages</c>, <c>total_count</c>, <c>per_page</c>.</summary>
    public static JsonObject Meta(Pagination page) => new()
    {
        ["current_page"] = page.Page,
        ["total_pages"] = page.TotalPages,
        ["total_count"] = page.TotalCount,
        ["per_page"] = page.PerPage,
    };

    /// <summary>A body serialised once, ahead of time, as every answer of the API writes it (for an answer that never changes).</summary>
    public static byte[] Serialize(JsonNode body) => JsonSerializer.SerializeToUtf8Bytes(body, NodeResult.Options);

    /// <summary>200 with a body made by <see cref="Serialize"/>.</summary>
    public static IResult OkSerialized(byte[] body) => Results.Bytes(body, "application/json; charset=utf-8");

    private sealed class NodeResult(int status, JsonNode body) : IResult, IStatusCodeHttpResult
    {
        public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(httpContext.Response.Body, body, Options, httpContext.RequestAborted);
        }
    }
}
