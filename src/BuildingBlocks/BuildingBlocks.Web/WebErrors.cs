using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.BuildingBlocks.Web;

/// <summary>Error pages for web requests: what went wrong inside a page, and the status codes pages answer with no body.</summary>
internal sealed class WebErrors(ILogger<WebErrors> logger) : IExceptionHandler, IErrorPageWriter
{
    public Task WriteAsync(HttpContext context, int statusCode, string? message = null) =>
        new ErrorPageResult(statusCode, message).ExecuteAsync(context);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        httpContext.SetEndpoint(httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint);
        if (httpContext.Response.HasStarted || !WebRequests.WantsPage(httpContext))
        {
            return false;
        }

        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            NpgsqlException { IsTransient: true } or TimeoutException => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception for page {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogWarning("Page {Method} {Path} answered {Status}: {Message}", httpContext.Request.Method, httpContext.Request.Path, status, exception.Message);
        }

        httpContext.Response.Clear();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "30";
        }

        await WriteAsync(httpContext, status);
        return true;
    }
}
