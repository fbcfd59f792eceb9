using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;

using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// Turns what goes wrong before or inside an endpoint into a clear answer in the API's own envelope:
/// a body that is not JSON, has a value of the wrong type, is too large or has the wrong content type
/// is a 400, 413 or 415 that names the field; a database that cannot be reached or does not answer in time
/// is a 503 with <c>Retry-After</c> (logged once per outage, by <see cref="DatabaseOutageMonitor"/>); anything
/// unexpected is a 500 that shows no internals, only the request id to quote.
/// </summary>
internal sealed partial class RequestErrors(ILogger<RequestErrors> logger, DatabaseOutageMonitor outage) : IExceptionHandler
{
    public const string UnavailableMessage = "The service cannot reach its database at the moment. Try again in a few seconds.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        // The exception handler clears the endpoint; the answer needs it for the API's error style and body type.
        httpContext.SetEndpoint(httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint);
        if (WebRequests.WantsPage(httpContext))
        {
            // Pages answer with error pages (BuildingBlocks.Web).
            return false;
        }

        if (DatabaseOutage.IsOutage(exception))
        {
            outage.ReportFailure(exception, $"{httpContext.Request.Method} {httpContext.Request.Path}");
            httpContext.Response.Clear();
            httpContext.Response.Headers.RetryAfter = ((int)DatabaseOutage.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, [new ApiError(null, UnavailableMessage)]);
            return true;
        }

        var (status, error) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, FromJson(json, httpContext)),
            BadHttpRequestException bad => (bad.StatusCode, FromBadRequest(bad, httpContext)),
            _ => (500, new ApiError(null,
                $"Something went wrong on our side. If it happens again, contact support and quote request id {httpContext.TraceIdentifier}.")),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogInformation("Bad request for {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, error.Message);
        }

        await ApiErrors.WriteAsync(httpContext, status, [error]);
        return true;
    }

    /// <summary>
    /// A JSON error as a client can act on it: the field (the JSON path), and what it must be, read from the
    /// type of the endpoint's request body (STJ's own message names .NET types, not always the field's).
    /// </summary>
    internal static ApiError FromJson(JsonException json, HttpContext context)
    {
        var path = json.Path?.TrimStart('$').TrimStart('.') ?? "";
        var requestType = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var isConversion = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
        if (isConversion && path.Length == 0)
        {
            return new ApiError(null, "The request body must be a JSON object");
        }

        if (isConversion && FieldType(requestType, path) is { } fieldType)
        {
            return new ApiError(path, $"{path} must be {Describe(fieldType)}");
        }

        var where = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        return new ApiError(path.Length == 0 ? null : path, $"The request body is not valid JSON{where}");
    }

    /// <summary>The type of the property at a JSON path like <c>degrees[0].grade</c>, matching snake_case names.</summary>
    private static Type? FieldType(Type? type, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (type is null)
            {
                return null;
            }

            var name = segment.Split('[')[0];
            var property = type.GetProperties().FirstOrDefault(p => SnakeCase.Instance.ConvertName(p.Name) == name);
            type = property?.PropertyType;
            if (type is not null && segment.Contains('[', StringComparison.Ordinal))
            {
                type = ElementType(type);
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null;

    private static ApiError FromBadRequest(BadHttpRequestException bad, HttpContext context) => bad.StatusCode switch
    {
        413 => new ApiError(null, $"The request body is too large: the limit is {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes"),
        415 => new ApiError(null, InputHygiene.UnsupportedMediaTypeMessage(
            context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? ["application/json"])),
        _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) => new ApiError(null, "A JSON request body is required"),
        _ when bad.Message.Contains("Required parameter", StringComparison.Ordinal) => new ApiError(null, "A JSON request body is required"),
        _ => new ApiError(null, SimplifyFrameworkMessage(bad.Message)),
    };

    private static string SimplifyFrameworkMessage(string message)
    {
        // Framework messages name .NET types ("Failed to bind parameter \"int page\" from \"abc\"."); keep the parameter and value only.
        var bind = FailedToBind().Match(message);
        return bind.Success ? $"{bind.Groups[1].Value} is not valid: '{bind.Groups[2].Value}'" : message;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateOnly) => "a date in the format YYYY-MM-DD",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date and time in ISO 8601 format",
            _ when type == typeof(Guid) => "a UUID",
            { IsEnum: true } => $"one of: {string.Join(", ", Enum.GetNames(type).Select(SnakeCase.Instance.ConvertName))}",
            _ when type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "a list",
            _ => "an object",
        };
    }

    [GeneratedRegex("""Failed to bind parameter "[^ ]+ ([^"]+)" from "([^"]*)".""")]
    private static partial Regex FailedToBind();
}
