using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Access.Features.Account;
using Register.Access.Features.ApiClients;
using Register.Access.Features.ApiTokens;
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

        var account = app.MapWeb(WebPolicies.SignedIn);
        ApiClientsPage.Map(account);
        AddApiClientPage.Map(account);
        ApiClientPage.Map(account);
        EditApiClientPage.Map(account);
        ChangeApiClientPages.Map(account);
        AccountPage.Map(account);
        ChangePasswordPage.Map(account);

        var tokens = app.MapWeb(WebPolicies.Provider).ForAccreditedHeis();
        ApiTokensPage.Map(tokens);
        GenerateApiTokenPage.Map(tokens);
        RevokeApiTokenPage.Map(tokens);
    }
}
