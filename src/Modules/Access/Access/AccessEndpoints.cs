using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Access.Features.Account;
using Register.Access.Features.ApiClients;
using Register.Access.Features.ApiTokens;
using Register.Access.Features.ApiUsage;
using Register.Access.Features.ProviderUsers;
using Register.Access.Features.SignIn;
using Register.Access.Features.Users;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;

namespace Register.Access;

/// <summary>The Access module's endpoints: its table of contents, one line a slice.</summary>
public sealed class AccessEndpoints : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var support = app.MapApi(ApiDefinition.Support).WithTags("API clients");
        ListApiClients.Map(support);
        GetApiClient.Map(support);
        CreateApiClient.Map(support);
        RenameApiClient.Map(support);
        RevokeApiClient.Map(support);
        DeleteApiClient.Map(support);

        var usage = app.MapApi(ApiDefinition.Support).WithTags("API usage");
        ListApiUsage.Map(usage);
        ListApiClientUsage.Map(usage);

        var users = app.MapApi(ApiDefinition.Support).WithTags("Users");
        ListUsers.Map(users);
        CreateUser.Map(users);
        UpdateUser.Map(users);
        DeleteUser.Map(users);

        var signIn = app.MapPublicWeb();
        SignInPage.Map(signIn);
        SignInLinkPage.Map(signIn);
        SignOutAndRefusals.Map(signIn);

        var userPages = app.MapWeb(WebPolicies.Support);
        UsersPage.Map(userPages);
        AddUserPage.Map(userPages);
        UserPage.Map(userPages);
        EditUserPage.Map(userPages);
        DeleteUserPage.Map(userPages);

        var providerUsers = app.MapWeb(WebPolicies.Support);
        ProviderUsersPage.Map(providerUsers);
        InviteProviderUserPage.Map(providerUsers);
        ProviderUserActions.Map(providerUsers);

        var usagePages = app.MapWeb(WebPolicies.Support);
        UsagePage.Map(usagePages);

        // API clients: DfE's people (an API user sees their own); provider users manage their SRS tokens on /api-tokens.
        var apiClients = app.MapWeb(WebPolicies.DfeStaff);
        ApiClientsPage.Map(apiClients);
        AddApiClientPage.Map(apiClients);
        ApiClientPage.Map(apiClients);
        EditApiClientPage.Map(apiClients);
        ChangeApiClientPages.Map(apiClients);

        var account = app.MapWeb(WebPolicies.SignedIn);
        AccountPage.Map(account);
        ChangePasswordPage.Map(account);

        var tokens = app.MapWeb(WebPolicies.Provider).ForAccreditedHeis();
        ApiTokensPage.Map(tokens);
        GenerateApiTokenPage.Map(tokens);
        RevokeApiTokenPage.Map(tokens);
    }
}
