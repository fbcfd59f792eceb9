using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiClients;

/// <summary>
/// <c>/api-clients/{id}/revoke</c> and <c>/api-clients/{id}/delete</c>: the confirmations and their warnings, then
/// <see cref="RevokeApiClient"/> and <see cref="DeleteApiClient"/>. A revoked client stays listed as revoked; a deleted
/// one goes.
/// </summary>
internal static class ChangeApiClientPages
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/api-clients/{id:guid}/revoke", (Guid id, HttpContext http, NpgsqlDataSource db) => ConfirmAsync(id, http, db, client =>
            client.RevokedAt is not null ? Pages.Problem(StatusCodes.Status409Conflict, "This API client is already revoked.")
            : Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                $"Confirm you want to revoke {client.Name}", "Revoke API client", $"Confirm you want to revoke {client.Name}", $"/api-clients/{id}/revoke", "Revoke API client", $"/api-clients/{id}")
            {
                Paragraphs = ["Its token stops working at once. The client stays listed as revoked, for the record."],
                Warning = "Revoking an API client is permanent – you cannot undo it.",
            })));

        web.MapPost("/api-clients/{id:guid}/revoke", (Guid id, HttpContext http, NpgsqlDataSource db, TransactionRunner transactions, TimeProvider clock) => ConfirmAsync(id, http, db, async client =>
        {
            var outcome = await RevokeApiClient.RunAsync(transactions, client.Id, http.SignedInUser().Actor, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect("/api-clients", "API client revoked") : Pages.Problem(outcome.Error!);
        }));

        web.MapGet("/api-clients/{id:guid}/delete", (Guid id, HttpContext http, NpgsqlDataSource db) => ConfirmAsync(id, http, db, client =>
            Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                "Confirm you want to delete API client", "Delete API client", $"Confirm you want to delete {client.Name}", $"/api-clients/{id}/delete", "Delete API client", $"/api-clients/{id}")
            {
                Paragraphs = ["Delete a client created in error. To stop a client that was in use, revoke it instead: it then stays listed, for the record."],
                Warning = "Deleting an API client is permanent – you cannot undo it.",
            })));

        web.MapPost("/api-clients/{id:guid}/delete", (Guid id, HttpContext http, NpgsqlDataSource db, TransactionRunner transactions, TimeProvider clock) => ConfirmAsync(id, http, db, async client =>
        {
            var outcome = await DeleteApiClient.RunAsync(transactions, client.Id, http.SignedInUser().Actor, clock, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect("/api-clients", "API client deleted") : Pages.Problem(outcome.Error!);
        }));
    }

    private static Task<IResult> ConfirmAsync(Guid id, HttpContext http, NpgsqlDataSource db, Func<ApiClient, IResult> then) =>
        ConfirmAsync(id, http, db, client => Task.FromResult(then(client)));

    private static async Task<IResult> ConfirmAsync(Guid id, HttpContext http, NpgsqlDataSource db, Func<ApiClient, Task<IResult>> then)
    {
        ApiClient? client;
        await using (var connection = await db.OpenConnectionAsync(http.RequestAborted))
        {
            client = await ApiClientPages.FindVisibleAsync(connection, id, http.SignedInUser(), http.RequestAborted);
        }

        return client is null ? Pages.NotFound() : await then(client);
    }
}
