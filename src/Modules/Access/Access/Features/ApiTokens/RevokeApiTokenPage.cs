using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiTokens;

/// <summary>
/// <c>/api-tokens/{id}/revoke</c>: "Are you sure you want to revoke this token?", then <see cref="RevokeApiClient.RunAsync"/>
/// (the support API's revoke: active → revoked, stamped and in the activity log). Another provider's token, a client that
/// is not a trainee API token, or an unknown id is the 404 page; a revoked token, the 409 page.
/// </summary>
internal static class RevokeApiTokenPage
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/api-tokens/{id:guid}/revoke", (Guid id, HttpContext http, NpgsqlDataSource db) => WithTokenAsync(id, http, db, token =>
            Task.FromResult(Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Revoke {token.Name}", token.Name, "Are you sure you want to revoke this token?", $"/api-tokens/{id}/revoke", "Yes I’m sure – revoke this token", "/api-tokens")
            {
                Paragraphs =
                [
                    "Revoking a token removes its access to the Register API at once. You cannot undo it.",
                    "Before revoking a token in use, generate a new one if you want to keep sending your trainee data to Register through the API.",
                ],
            }))));

        web.MapPost("/api-tokens/{id:guid}/revoke", (Guid id, HttpContext http, NpgsqlDataSource db, TransactionRunner transactions, TimeProvider clock) => WithTokenAsync(id, http, db, async token =>
        {
            var outcome = await RevokeApiClient.RunAsync(transactions, token.Id, http.SignedInUser().Actor, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect("/api-tokens", "Token revoked") : Pages.Problem(outcome.Error!);
        }));
    }

    private static async Task<IResult> WithTokenAsync(Guid id, HttpContext http, NpgsqlDataSource db, Func<ApiClient, Task<IResult>> then)
    {
        ApiClient? token;
        await using (var connection = await db.OpenConnectionAsync(http.RequestAborted))
        {
            token = await ApiTokenPages.FindAsync(connection, id, http.SignedInProviderId(), http.RequestAborted);
        }

        return token is null ? Pages.NotFound()
            : token.RevokedAt is not null ? Pages.Problem(StatusCodes.Status409Conflict, "This token is already revoked.")
            : await then(token);
    }
}
