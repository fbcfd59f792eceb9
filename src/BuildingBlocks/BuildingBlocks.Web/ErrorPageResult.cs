using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Web.Layout;

namespace Register.BuildingBlocks.Web;

/// <summary>An error page (404, 403, 409, 429, 500, ...) in the service's layout, with its status code.</summary>
public sealed class ErrorPageResult(int statusCode, string? message) : IResult
{
    public int StatusCode => statusCode;

    public string? Message => message;

    public Task ExecuteAsync(HttpContext httpContext) =>
        Pages.Show<ErrorPage>(httpContext, new ErrorPage.ErrorModel(statusCode, message, httpContext.TraceIdentifier), statusCode).ExecuteAsync(httpContext);
}
