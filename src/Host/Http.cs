using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;

namespace Register.Host;

internal static partial class Http
{
    /// <summary>JSON, error handling, body limits, rate limits, OpenAPI and health checks: the HTTP basics every API shares.</summary>
    public static IServiceCollection AddRegisterHttp(this IServiceCollection services, IConfiguration configuration)
    {
        ValidationConventions.Apply();
        services.ConfigureHttpJsonOptions(o => RegisterJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<RequestErrors>();
        services.AddProblemDetails();
        services.AddApiRateLimits();
        services.AddRegisterOpenApi();
        services.AddHealthChecks();
        services.AddOptions<HttpLimits>().BindConfiguration("Http");
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddRegisterProxies();
        return services;
    }

    public static void UseRegisterPipeline(this WebApplication app)
    {
        app.UseRegisterProxies();
        app.Use(AssignRequestId);
        app.Use(NoStoreNoSniff);
        app.UseRegisterRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => WebRequests.WantsPage(context.HttpContext)
            ? context.HttpContext.RequestServices.GetRequiredService<IErrorPageWriter>().WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode)
            : ApiGroups.WriteUnmatchedAsync(context.HttpContext));
        app.UseRegisterWebHeaders();
        app.UseRouting();
        app.Use(UntilDatabaseReady);
        app.Use(LimitRequestBody);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseInputHygiene();
    }

    /// <summary>
    /// Every answer says <c>X-Content-Type-Options: nosniff</c>, and, unless it set its own caching (the GOV.UK assets),
    /// <c>Cache-Control: no-store</c>: API answers hold people's personal data, which no cache or proxy should keep.
    /// </summary>
    private static Task NoStoreNoSniff(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (headers.CacheControl.Count == 0)
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// Every request gets an id, echoed in <c>X-Request-Id</c>, logged, and quoted in 500 answers. A caller's
    /// own <c>X-Request-Id</c> is kept when it is a plain token of at most 64 characters.
    /// </summary>
    private static Task AssignRequestId(HttpContext context, RequestDelegate next)
    {
        var incoming = context.Request.Headers["X-Request-Id"].ToString();
        context.TraceIdentifier = SafeRequestId().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
        // Set as the answer starts: the exception handler clears headers before it writes a 500.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static readonly string[] AnsweredWhileStarting = ["/health", "/openapi", "/docs", "/assets"];

    /// <summary>
    /// While the database is not prepared yet (serve started before PostgreSQL answered, and is waiting for it), every
    /// request that would need it is answered 503 with <c>Retry-After</c>, in the API's envelope or as the 503 page; the
    /// health checks, the API reference and the assets are served as usual.
    /// </summary>
    private static Task UntilDatabaseReady(HttpContext context, RequestDelegate next)
    {
        var database = context.RequestServices.GetRequiredService<RegisterDatabase>();
        var path = context.Request.Path.Value ?? "/";
        if (database.IsMigrated || AnsweredWhileStarting.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        context.Response.Headers.RetryAfter = ((int)DatabaseOutage.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WebRequests.WantsPage(context)
            ? context.RequestServices.GetRequiredService<IErrorPageWriter>().WriteAsync(context, StatusCodes.Status503ServiceUnavailable)
            : ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                [new ApiError(null, "The service is starting and waiting for its database. Try again in a few seconds.")]);
    }

    /// <summary>
    /// A body larger than the endpoint's limit (<c>Http:MaxRequestBodyBytes</c>, 1 MiB by default, or the
    /// endpoint's own <see cref="IRequestSizeLimitMetadata"/>) is refused with 413 before it is read.
    /// </summary>
    private static Task LimitRequestBody(HttpContext context, RequestDelegate next)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<HttpLimits>>().Value.MaxRequestBodyBytes;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? configured;
        if (context.Request.ContentLength > limit)
        {
            return ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                [new ApiError(null, $"The request body is too large: the limit is {limit} bytes")]);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }

    /// <summary><c>Http:MaxRequestBodyBytes</c>: the largest request body an endpoint takes unless it says otherwise.</summary>
    internal sealed class HttpLimits
    {
        public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeRequestId();
}
