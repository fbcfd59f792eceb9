using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Npgsql;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.SignIn;

/// <summary>
/// The web pages' authentication: the session cookie (scheme <c>web</c>), checked against its server-side session on
/// every request; the identity provider (scheme <c>oidc</c>) when configured; the policies of the pages; and the data
/// protection keys in the database. See docs/adr/0012.
/// </summary>
internal static class WebSignIn
{
    public static void AddWebSignIn(this IServiceCollection services, AuthenticationBuilder authentication)
    {
        services.AddOptions<SignInOptions>().BindConfiguration("SignIn");
        services.AddSingleton<Passwords>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<OpenIdConnectSignIn>();

        services.AddDataProtection().SetApplicationName("Register");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<NpgsqlDataSource>())));

        authentication.AddCookie(WebPolicies.Scheme, o =>
        {
            o.Cookie.Name = "register_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.ReturnUrlParameter = "return_url";
            o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<UserSessions>().ValidateAsync(context);
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(WebPolicies.Scheme)
            .Configure<IOptions<SignInOptions>, IOptions<WebOptions>>((o, settings, web) =>
            {
                o.ExpireTimeSpan = settings.Value.IdleTimeout;
                o.Cookie.SecurePolicy = web.Value.SecureCookies == true ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            });

        // The identity provider's scheme is always there; without SignIn:OpenIdConnect:Authority it has nowhere to go
        // and nothing leads to it (the sign-in page offers it only when it is configured). Settings are read when the
        // options are first used, so configuration added late (tests, hosting) counts.
        authentication.AddOpenIdConnect(OpenIdConnectSignIn.Scheme, "Identity provider", o =>
        {
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("email");
            o.Scope.Add("profile");
            o.CallbackPath = OpenIdConnectSignIn.CallbackPath;
            o.SignInScheme = WebPolicies.Scheme;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.MapInboundClaims = false;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.Events.OnTokenValidated = OpenIdConnectSignIn.OnTokenValidatedAsync;
            o.Events.OnRemoteFailure = context =>
            {
                context.HandleResponse();
                context.Response.Redirect("/sign-in?failed=true");
                return Task.CompletedTask;
            };
        });
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectSignIn.Scheme).Configure<IOptions<SignInOptions>, IOptions<WebOptions>>((o, settings, web) =>
        {
            var secure = web.Value.SecureCookies == true ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.CorrelationCookie.SecurePolicy = secure;
            o.NonceCookie.SecurePolicy = secure;
            var provider = settings.Value.OpenIdConnect;
            if (settings.Value.UsesIdentityProvider)
            {
                o.Authority = provider.Authority;
                o.ClientId = provider.ClientId;
                o.ClientSecret = provider.ClientSecret;
                o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
            }
            else
            {
                o.ClientId = "not-configured";
                o.Configuration = new OpenIdConnectConfiguration { Issuer = "not-configured", AuthorizationEndpoint = "http://localhost/not-configured" };
            }
        });
        services.AddOptions<WebOptions>().Configure<IOptions<SignInOptions>>((web, settings) =>
        {
            if (settings.Value.UsesIdentityProvider)
            {
                web.FormTargets.Add(new Uri(settings.Value.OpenIdConnect.Authority!).GetLeftPart(UriPartial.Authority));
            }
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(WebPolicies.SignedIn, p => p.AddAuthenticationSchemes(WebPolicies.Scheme).RequireAuthenticatedUser().RequireClaim(SignedInUser.UserIdClaim))
            .AddPolicy(WebPolicies.Support, p => p.AddAuthenticationSchemes(WebPolicies.Scheme).RequireAuthenticatedUser().RequireClaim(SignedInUser.RoleClaim, WebRoles.Support))
            .AddPolicy(WebPolicies.DfeStaff, p => p.AddAuthenticationSchemes(WebPolicies.Scheme).RequireAuthenticatedUser()
                .RequireClaim(SignedInUser.RoleClaim, WebRoles.Support, WebRoles.ApiUser))
            .AddPolicy(WebPolicies.Provider, p => p.AddAuthenticationSchemes(WebPolicies.Scheme).RequireAuthenticatedUser()
                .RequireClaim(SignedInUser.RoleClaim, WebRoles.Provider).RequireClaim(SignedInUser.ProviderIdClaim))
            .AddPolicy(WebPolicies.SystemAdmin, p => p.AddAuthenticationSchemes(WebPolicies.Scheme).RequireAuthenticatedUser()
                .RequireClaim(SignedInUser.RoleClaim, WebRoles.Support).RequireClaim(SignedInUser.SystemAdminClaim, "true"));
    }
}
