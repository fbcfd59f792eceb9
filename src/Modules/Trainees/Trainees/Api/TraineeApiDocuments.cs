using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

// The trainee API's typed documentation (docs/adr/0018). The slices read and write JSON nodes, for the reference's
// quirks; these records describe what goes over the wire, in Register's (v2026) field names, and TraineeOpenApi derives
// each version's document from them and the version's descriptor. They are never serialised: the key sets must match
// what TraineeJson and TraineeApiResults write (tests/Trainees.Tests/TraineeOpenApiTests.cs checks real answers).

/// <summary>An answer's object: every key is written, null where there is no value, and no other key (<c>additionalProperties: false</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ExactKeysAttribute : Attribute;

/// <summary>Keys made at run time, one a value (<c>disability1</c>, <c>disability2</c>…): <c>patternProperties</c>, each a string.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DynamicKeysAttribute(string pattern, string description) : Attribute
{
    public string Pattern { get; } = pattern;

    public string Description { get; } = description;
}

/// <summary>The keys a request must send (in Register's names), where the record's fields are otherwise optional.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RequiredKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>The values a string takes (<c>enum</c>; with <c>null</c> when the property is nullable).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>The <c>training_route</c> codes the document's version accepts (<see cref="TraineeApiVersion.TrainingRoutes"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class VersionTrainingRoutesAttribute : Attribute;

/// <summary>One answer that has more than one shape at a status: <c>oneOf</c> the types. Documentation only.</summary>
internal sealed record OneOf<T1, T2>;

/// <summary>One answer that has more than one shape at a status: <c>oneOf</c> the types. Documentation only.</summary>
internal sealed record OneOf<T1, T2, T3>;

/// <summary><c>{"errors":[{"error":"NotFound","message":"Trainee(s) not found"}]}</c>: most of the API's errors.</summary>
[ExactKeys]
[Description("Errors, each with its kind and a message.")]
internal sealed record TraineeApiErrors(IReadOnlyList<TraineeApiError> Errors);

[ExactKeys]
internal sealed record TraineeApiError
{
    [Description("The kind: NotFound, Conflict, UnprocessableEntity, StateTransitionError, BadRequest, PayloadTooLarge, UnsupportedMediaType, TooManyRequests or ServiceUnavailable.")]
    public required string Error { get; init; }

    [Description("The query parameter, path value or field the error is about; only in errors of Register's input checks (control characters).")]
    public string? Field { get; init; }

    [Description("What is wrong, naming the field in this version's words (\"withdrawal_date Choose a withdrawal date\").")]
    public required string Message { get; init; }
}

/// <summary><c>{"errors":["..."]}</c>: a body that is not JSON (400), a missing <c>data</c> (422), an upload's unreadable body.</summary>
[ExactKeys]
[Description("Errors as plain messages: a body that is not JSON, or no data object.")]
internal sealed record PlainErrors(IReadOnlyList<string> Errors);

/// <summary>
/// 422 for a trainee that breaks rules: <c>{"message":"Validation failed: …","errors":[...]}</c>, or with <c>Enhanced-Errors: true</c>
/// the messages grouped by field (<c>{"first_names":["can't be blank"],"degrees_attributes":{"graduation_year":["is invalid"]}}</c>).
/// </summary>
[ExactKeys]
[Description("A trainee that breaks rules: every broken rule, as full messages or (with the header Enhanced-Errors: true) grouped by field.")]
internal sealed record TraineeInvalid(
    [property: Description("\"Validation failed: 2 errors prohibited this trainee from being saved\".")] string Message,
    [property: Description("The full messages (\"first_names can't be blank\"); with Enhanced-Errors: true an object of field → messages, degrees_attributes and placements_attributes holding an object of their own fields.")]
    OneOf<IReadOnlyList<string>, GroupedErrors> Errors);

/// <summary><c>{"first_names":["can't be blank"],"degrees_attributes":{"graduation_year":["is invalid"]}}</c>. Documentation only.</summary>
internal sealed record GroupedErrors;

/// <summary>422 for list filters: <c>{"message":"Validation failed: 1 error prohibited this request being run","errors":{"status":["busy is not a valid status"]}}</c>.</summary>
[ExactKeys]
[Description("Filters that are not valid: each filter with its messages.")]
internal sealed record FilterInvalid(
    [property: Description("\"Validation failed: 1 error prohibited this request being run\".")] string Message,
    [property: Description("The filter's name → its messages (\"busy is not a valid status\").")] IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);

/// <summary>The <c>meta</c> of a page.</summary>
[ExactKeys]
internal sealed record PageMeta(
    [property: Description("The page shown, from 1.")] int CurrentPage,
    [property: Description("How many pages there are.")] int TotalPages,
    [property: Description("How many records there are in all.")] long TotalCount,
    [property: Description("The most records on a page.")] int PerPage);

/// <summary>The request body of an endpoint that reads it itself, for one content type.</summary>
internal sealed record TraineeRequestContent(string ContentType, Type Shape);

/// <summary>An example of an endpoint's request (<see cref="Status"/> null) or of one of its answers, made for the document's version.</summary>
internal sealed record VersionedExample(int? Status, Func<TraineeApiVersion, JsonNode> Make);

/// <summary>How a trainee slice declares what its document says beyond <c>Accepts</c> and <c>Produces</c>.</summary>
internal static class TraineeApiDocumentation
{
    /// <summary>An example request body (in Register's names; the document renames it for its version).</summary>
    public static RouteHandlerBuilder WithVersionedRequestExample(this RouteHandlerBuilder builder, Func<TraineeApiVersion, JsonNode> make) =>
        builder.WithMetadata(new VersionedExample(null, make));

    /// <summary>An example answer at a status.</summary>
    public static RouteHandlerBuilder WithVersionedResponseExample(this RouteHandlerBuilder builder, int status, Func<TraineeApiVersion, JsonNode> make) =>
        builder.WithMetadata(new VersionedExample(status, make));

    /// <summary>The body's schema for one of the content types the slice takes (for bodies that are not JSON).</summary>
    public static RouteHandlerBuilder WithRequestContentSchema<T>(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new TraineeRequestContent(contentType, typeof(T)));

    /// <summary>A JSON answer of a type at a status.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, int status) =>
        builder.Produces<T>(status, "application/json");
}
