using System.Net;
using Dapper;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.Access.Contracts;
using Register.TestKit;

namespace Register.Access.Tests;

/// <summary>Register with an identity provider configured (DfE Sign-in is OpenID Connect) and its own sign-in off.</summary>
public sealed class OpenIdConnectFixture : ApiFixture
{
    public FakeIdentityProvider Provider { get; } = new();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["SignIn:OpenIdConnect:Authority"] = Provider.Authority,
        ["SignIn:OpenIdConnect:ClientId"] = FakeIdentityProvider.ClientId,
        ["SignIn:OpenIdConnect:ClientSecret"] = FakeIdentityProvider.ClientSecret,
        ["SignIn:OpenIdConnect:RequireHttpsMetadata"] = "false",
    };

    public override async Task InitializeAsync()
    {
        await Provider.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OpenIdConnectCollection : ICollectionFixture<OpenIdConnectFixture>
{
    public const string Name = "openid-connect";
}

[Collection(OpenIdConnectCollection.Name)]
public sealed class OpenIdConnectSignInTests(OpenIdConnectFixture fixture) : ApiTest<OpenIdConnectFixture>(fixture)
{
    [Fact]
    public async Task A_first_sign_in_matches_by_email_then_by_subject_and_the_names_follow_the_identity_provider()
    {
        var added = await AddUserAsync("jo.smith@education.gov.uk");
        Api.Provider.Next = new("dsi-subject-1", "Jo.Smith@education.gov.uk", "Joanna", "Smith");

        var (session, landing) = await SignInThroughProviderAsync("/users");

        Assert.Equal("/users", landing);
        await session.GetAsync("/users");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var user = await connection.QuerySingleAsync<(string OidcSubject, string FirstName, string Email)>(
            "SELECT oidc_subject, first_name, email FROM access.users WHERE id = @Id", new { added.Id });
        Assert.Equal(("dsi-subject-1", "Joanna", "jo.smith@education.gov.uk"), user);

        Api.Provider.Next = new("DSI-SUBJECT-1", "joanna.smith@education.gov.uk", "Joanna", "Smith");
        var (again, _) = await SignInThroughProviderAsync();
        Assert.Contains("joanna.smith@education.gov.uk", (await again.GetAsync("/account")).Text());
    }

    [Fact]
    public async Task An_unknown_person_is_asked_to_ask_for_an_account_and_an_inactive_one_is_not_authorised()
    {
        Api.Provider.Next = new("dsi-stranger", "stranger@education.gov.uk", "Stranger", "Danger");
        var (stranger, strangerLanding) = await SignInThroughProviderAsync();
        Assert.Equal("/sign-in/user-not-found", strangerLanding);
        Assert.Equal("Ask for an account to access the Register of training providers", (await stranger.GetAsync(strangerLanding)).Heading());
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.Client.GetAsync("/providers")).StatusCode);

        var inactive = await AddUserAsync("in.active@education.gov.uk");
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.ExecuteAsync("UPDATE access.users SET active = false WHERE id = @Id", new { inactive.Id });
        Api.Provider.Next = new("dsi-inactive", "in.active@education.gov.uk", "In", "Active");
        var (_, inactiveLanding) = await SignInThroughProviderAsync();
        Assert.Equal("/unauthorised", inactiveLanding);
    }

    [Fact]
    public async Task An_account_bound_to_another_subject_is_not_taken_over_by_email()
    {
        await AddUserAsync("bound@education.gov.uk");
        Api.Provider.Next = new("dsi-owner", "bound@education.gov.uk", "Bo", "Und");
        await SignInThroughProviderAsync();

        Api.Provider.Next = new("dsi-someone-else", "bound@education.gov.uk", "Some", "One");
        var (_, landing) = await SignInThroughProviderAsync();

        Assert.Equal("/sign-in/user-not-found", landing);
    }

    [Fact]
    public async Task Register_own_sign_in_is_off_when_an_identity_provider_is_configured()
    {
        var anonymous = WebSession.Anonymous(Api.Factory);
        var page = await anonymous.GetAsync("/sign-in");

        Assert.Contains("Sign in using DfE Sign-in", page.Text());
        Assert.Null(page.QuerySelector("input[name=password]"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Client.GetAsync("/sign-in/link?token=rg_anything")).StatusCode);
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser("No", "Link", "no.link@education.gov.uk", "support", false));
        Assert.Null(added.SignInPath);
    }

    private async Task<AddedUser> AddUserAsync(string email)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new AddUser("Jo", "Bloggs", email, "support", false));
    }

    /// <summary>
    /// The browser's part of the code flow, by hand: the sign-in button, the identity provider's redirect back, and
    /// Register's answer to the callback (it fetches the token from the provider itself). Returns where Register sent the person.
    /// </summary>
    private async Task<(WebSession Session, string Landing)> SignInThroughProviderAsync(string? returnUrl = null)
    {
        var session = WebSession.Anonymous(Api.Factory);
        var challenge = await session.SubmitAsync("/sign-in" + (returnUrl is null ? "" : $"?return_url={Uri.EscapeDataString(returnUrl)}"), action: "/sign-in/provider");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(Api.Provider.Authority + "/authorize", authorize.ToString(), StringComparison.Ordinal);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.Equal("/auth/dfe/callback", callback.AbsolutePath);

        var signedIn = await session.Client.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (session, signedIn.Headers.Location!.OriginalString);
    }
}
