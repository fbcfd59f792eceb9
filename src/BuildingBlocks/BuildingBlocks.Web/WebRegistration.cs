using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Web.Forms;

namespace Register.BuildingBlocks.Web;

/// <summary>
/// <c>Web:FormTargets</c>: other origins the pages' forms may lead to (the identity provider's, for sign-in).
/// <c>Web:SecureCookies</c>: whether the pages' cookies are sent over HTTPS only, whatever the request (behind a proxy that
/// ends TLS, requests arrive over HTTP); true except in Development and Testing.
/// </summary>
public sealed class WebOptions
{
    public List<string> FormTargets { get; } = [];

    public bool? SecureCookies { get; set; }
}

public static class WebRegistration
{
    /// <summary>Razor rendering, anti-forgery, drafts, error pages and the action limits of the web pages.</summary>
    public static IServiceCollection AddRegisterWeb(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.FormFieldName = "authenticity_token";
            o.HeaderName = null;
            o.Cookie.Name = "register_antiforgery";
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddSingleton<WebErrors>();
        services.AddSingleton<IExceptionHandler>(sp => sp.GetRequiredService<WebErrors>());
        services.AddSingleton<IErrorPageWriter>(sp => sp.GetRequiredService<WebErrors>());
        services.AddSingleton<Drafts>();
        services.AddSingleton<ActionLimits>();
        services.AddHostedService<DraftsCleanup>();
        services.AddModuleMigrations("web", typeof(Drafts).Assembly);
        services.AddOptions<WebOptions>().BindConfiguration("Web")
            .PostConfigure<IHostEnvironment>((o, environment) => o.SecureCookies ??= !environment.IsDevelopment() && !environment.IsEnvironment("Testing"));
        services.AddOptions<AntiforgeryOptions>().Configure<IOptions<WebOptions>>((o, web) =>
            o.Cookie.SecurePolicy = web.Value.SecureCookies == true ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddOptions<ActionLimit>(ActionLimits.Destructive).BindConfiguration("WebLimits:destructive");
        services.AddOptions<ActionLimit>(ActionLimits.SignIn)
            .Configure(l =>
            {
                l.PermitLimit = 20;
                l.Window = TimeSpan.FromMinutes(5);
            })
            .BindConfiguration("WebLimits:sign_in");
        services.PostConfigure<RateLimiterOptions>(o =>
        {
            var api = o.OnRejected;
            o.OnRejected = (context, ct) => WebRequests.WantsPage(context.HttpContext)
                ? new ValueTask(ActionLimits.TooMany(context.HttpContext, TimeSpan.FromMinutes(1)).ExecuteAsync(context.HttpContext))
                : api?.Invoke(context, ct) ?? ValueTask.CompletedTask;
        });
        return services;
    }

    /// <summary>The security headers of every page (set as the answer starts, when its endpoint is known).</summary>
    public static void UseRegisterWebHeaders(this WebApplication app)
    {
        var policy = SecurityHeaders.ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<WebOptions>>().Value.FormTargets);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true || WebRequests.WantsPage(context))
                {
                    SecurityHeaders.Apply(context.Response, policy);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>The assets, and the start page: each role's landing page, or sign-in.</summary>
    public static void MapRegisterWeb(this WebApplication app)
    {
        app.MapFrontendAssets();
        app.MapPublicWeb().MapGet("/", (HttpContext http) => Results.Redirect(Landing.For(http)));
    }
}

/// <summary>Where each role starts: support users at the providers, API users at their API clients.</summary>
public static class Landing
{
    public static string For(HttpContext http) => Security.SignedInUser.From(http.User) switch
    {
        { IsSupport: true } => "/providers",
        { IsApiUser: true } => "/api-clients",
        { IsProviderUser: true } => "/trainees",
        null => "/sign-in",
        _ => "/account",
    };
}

/// <summary>Removes drafts a day old, every hour (once across every Register process on the database).</summary>
internal sealed class DraftsCleanup(ScheduledJobContext context, Drafts drafts, ILogger<DraftsCleanup> logger) : IntervalJob(context, logger)
{
    public override string JobName => "drafts_cleanup";

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task<int> RunJobAsync(CancellationToken ct) => drafts.DeleteExpiredAsync(ct);
}
