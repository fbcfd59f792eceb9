using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Http;

/// <summary>One problem with a request: the field it concerns (if any) and a message a developer can act on.</summary>
public sealed record ApiError(string? Field, string Message);

/// <summary>
/// The error envelope of an API, attached to its endpoints as metadata. Register's own APIs and the
/// trainee API answer <c>{"errors":[{"error":"UnprocessableEntity","message":"..."}]}</c>; the lead
/// provider API keeps its reference shape <c>{"errors":[{"title":"...","detail":"..."}]}</c>.
/// Each also has its own 401 body, which clients of the reference services depend on.
/// </summary>
public abstract class ErrorStyle
{
    public static ErrorStyle Register { get; } = new RegisterErrorStyle();

    public static ErrorStyle LeadProvider { get; } = new LeadProviderErrorStyle();

    public abstract object UnauthorizedBody { get; }

    /// <summary>What the API says for a path or record that does not exist.</summary>
    public abstract string NotFoundMessage { get; }

    public abstract object Body(int status, IReadOnlyList<ApiError> errors);

    /// <summary>The type of <see cref="Body"/>, from which the OpenAPI documents describe this API's errors.</summary>
    public abstract Type BodyType { get; }

    /// <summary>The type of <see cref="UnauthorizedBody"/>, for the OpenAPI documents.</summary>
    public static Type UnauthorizedBodyType => typeof(UnauthorizedError);

    /// <summary>The style of the endpoint this request reached, or Register's for requests that reached none.</summary>
    public static ErrorStyle For(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ErrorStyle>() ?? Register;

    private sealed class RegisterErrorStyle : ErrorStyle
    {
        public override object UnauthorizedBody { get; } = new UnauthorizedError("Unauthorized");

        public override string NotFoundMessage => "Not found";

        public override Type BodyType => typeof(RegisterErrors);

        public override object Body(int status, IReadOnlyList<ApiError> errors) =>
            new RegisterErrors(errors.Select(e => new RegisterError(Name(status), e.Field, e.Message)).ToList());

        private static string Name(int status) => status switch
        {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            _ => "InternalServerError",
        };
    }

    /// <summary>The title is the error's field when it has one (422s name the attribute; "Bad parameter" 400s), else the status.</summary>
    private sealed class LeadProviderErrorStyle : ErrorStyle
    {
        public override object UnauthorizedBody { get; } = new UnauthorizedError("HTTP Token: Access denied");

        public override string NotFoundMessage => "Nothing could be found for the provided details";

        public override Type BodyType => typeof(LeadProviderErrors);

        public override object Body(int status, IReadOnlyList<ApiError> errors) =>
            new LeadProviderErrors(errors.Select(e => new LeadProviderError(e.Field ?? Title(status), e.Message)).ToList());

        private static string Title(int status) => status switch
        {
            400 => "Bad request",
            404 => "Resource not found",
            405 => "Method not allowed",
            409 => "Conflict",
            413 => "Payload too large",
            415 => "Unsupported media type",
            422 => "Unprocessable entity",
            429 => "Too many requests",
            503 => "Service unavailable",
            _ => "Internal server error",
        };
    }
}

/// <summary>Register's error envelope: <c>{"errors":[{"error":"UnprocessableEntity","field":"name","message":"..."}]}</c>.</summary>
public sealed record RegisterErrors(IReadOnlyList<RegisterError> Errors);

/// <summary>One error: its kind (the status's name, such as <c>NotFound</c>), the field it concerns (when it concerns one) and the message.</summary>
public sealed record RegisterError(string Error, [property: System.Text.Json.Serialization.JsonPropertyOrder(1)] string Message)
{
    public RegisterError(string error, string? field, string message)
        : this(error, message) => Field = field;

    /// <summary>Left out when the error concerns no one field.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }
}

/// <summary>The lead provider API's error envelope, as its reference's: <c>{"errors":[{"title":"...","detail":"..."}]}</c>.</summary>
public sealed record LeadProviderErrors(IReadOnlyList<LeadProviderError> Errors);

/// <summary>One error: the attribute or parameter it concerns, or the status's title; and what is wrong.</summary>
public sealed record LeadProviderError(string Title, string Detail);

/// <summary>The body of a 401: <c>{"error":"Unauthorized"}</c> (the lead provider API: <c>HTTP Token: Access denied</c>).</summary>
public sealed record UnauthorizedError(string Error);

/// <summary>An error response in the envelope of the API the request reached.</summary>
public sealed class ApiErrorResult(int status, IReadOnlyList<ApiError> errors) : IResult, IStatusCodeHttpResult
{
    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public IReadOnlyList<ApiError> Errors => errors;

    public Task ExecuteAsync(HttpContext httpContext) => ApiErrors.WriteAsync(httpContext, status, errors);
}

public static class ApiErrors
{
    public static ApiErrorResult Result(int status, string message, string? field = null) => new(status, [new ApiError(field, message)]);

    public static ApiErrorResult NotFound(string message = "Not found") => Result(StatusCodes.Status404NotFound, message);

    public static ApiErrorResult BadRequest(string message, string? field = null) => Result(StatusCodes.Status400BadRequest, message, field);

    public static ApiErrorResult Conflict(string message, string? field = null) => Result(StatusCodes.Status409Conflict, message, field);

    public static ApiErrorResult Unprocessable(IReadOnlyList<ApiError> errors) => new(StatusCodes.Status422UnprocessableEntity, errors);

    /// <summary>Writes an error in <paramref name="style"/>, or else in the style of the endpoint the request reached.</summary>
    public static Task WriteAsync(HttpContext context, int status, IReadOnlyList<ApiError> errors, ErrorStyle? style = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync((style ?? ErrorStyle.For(context)).Body(status, errors), JsonOptions(context), contentType: "application/json");
    }

    public static Task WriteUnauthorizedAsync(HttpContext context, ErrorStyle? style = null)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsJsonAsync((style ?? ErrorStyle.For(context)).UnauthorizedBody, JsonOptions(context), contentType: "application/json");
    }

    private static JsonSerializerOptions JsonOptions(HttpContext context) =>
        context.RequestServices.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? RegisterJson.Options;
}
