using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;

namespace Register.BuildingBlocks.Web;

/// <summary>Error pages for web requests: what went wrong inside a page, and the status codes pages answer with no body.</summary>
internal sealed class WebErrors(ILogger<WebErrors> logger, DatabaseOutageMonitor outage) : IExceptionHandler, IErrorPageWriter
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
            _ when DatabaseOutage.IsOutage(exception) => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception for page {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            outage.ReportFailure(exception, $"page {httpContext.Request.Method} {httpContext.Request.Path}");
        }
        else
        {
            logger.LogWarning("Page {Method} {Path} answered {Status}: {Message}", httpContext.Request.Method, httpContext.Request.Path, status, exception.Message);
        }

        httpContext.Response.Clear();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = ((int)DatabaseOutage.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await WriteAsync(httpContext, status);
        return true;
    }
}
