using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// Turns what goes wrong before or inside an endpoint into a clear answer in the API's own envelope:
/// a body that is not JSON, has a value of the wrong type, is too large or has the wrong content type
/// is a 400, 413 or 415 that names the field; anything unexpected is a 500 that shows no internals,
/// only the request id to quote.
/// </summary>
internal sealed partial class RequestErrors(ILogger<RequestErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        var (status, error) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, FromJson(json)),
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

    internal static ApiError FromJson(JsonException json)
    {
        var field = json.Path is null or "$" ? null : json.Path.TrimStart('$').TrimStart('.');
        var target = ConvertedTo().Match(json.Message);
        if (target.Success && field is not null)
        {
            return new ApiError(field, $"{field} must be {Describe(target.Groups[1].Value)}");
        }

        var where = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        return new ApiError(field, $"The request body is not valid JSON{where}");
    }

    private static ApiError FromBadRequest(BadHttpRequestException bad, HttpContext context) => bad.StatusCode switch
    {
        413 => new ApiError(null, $"The request body is too large: the limit is {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes"),
        415 => new ApiError(null, "The request body must be JSON, sent with the header Content-Type: application/json"),
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

    private static string Describe(string type) => type switch
    {
        "System.String" => "a string",
        "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
        "System.Decimal" or "System.Double" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        "System.DateOnly" => "a date in the format YYYY-MM-DD",
        "System.DateTime" or "System.DateTimeOffset" => "a date and time in ISO 8601 format",
        "System.Guid" => "a UUID",
        _ when type.StartsWith("System.Collections", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ when type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) => Describe(type["System.Nullable`1[".Length..].TrimStart('[').Split(',', ']')[0]),
        _ => "one of the allowed values",
    };

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\. Path")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("""Failed to bind parameter "[^ ]+ ([^"]+)" from "([^"]*)".""")]
    private static partial Regex FailedToBind();
}
