using Dapper;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Features.Users;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;

namespace Register.Access.Features.ProviderUsers;

/// <summary>
/// <c>GET /providers/{id}/users</c>: the provider's "Users" tab (support users only): the people of the provider who sign in
/// to the provider service, by first then last name, 25 a page, with "Invite user", "Resend invitation" for those who
/// have never signed in, and "Remove".
/// </summary>
public sealed partial class ProviderUsersPage
{
    public sealed record Row(Guid Id, string Name, string Email, bool Active, bool HasSignedIn, string LastSignedIn);

    public sealed record PageModel(
        Guid ProviderId, string ProviderName, bool Archived, IReadOnlyList<SubNavigation.Item> Tabs, IReadOnlyList<Row> Users, long Total, int Page, int TotalPages,
        bool CanResend);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/providers/{providerId:guid}/users", async (Guid providerId, HttpContext http, string? page, ISender sender, NpgsqlDataSource db) =>
        {
            var (provider, refusal) = await ProviderUserPages.ProviderAsync(sender, providerId, toInvite: false, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            if (!PageRequest.TryParse(page, null, ProviderUserPages.PageSize, ProviderUserPages.PageSize, out var paging, out _))
            {
                return Pages.NotFound();
            }

            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM access.users WHERE provider_id = @providerId AND role = 'provider' AND deleted_at IS NULL", new { providerId }, cancellationToken: http.RequestAborted));
            var users = await connection.QueryAsync<User>(new CommandDefinition(
                $"""
                SELECT {User.Columns} FROM access.users WHERE provider_id = @providerId AND role = 'provider' AND deleted_at IS NULL
                ORDER BY lower(first_name), lower(last_name), id LIMIT @PerPage OFFSET @Offset
                """,
                new { providerId, paging.PerPage, paging.Offset }, cancellationToken: http.RequestAborted));
            var pagination = Pagination.Of(paging.Page, paging.PerPage, total);
            return Pages.Show<ProviderUsersPage>(http, new PageModel(
                provider.Id, provider.OperatingName, provider.Archived, ProviderUserPages.Tabs(providerId),
                users.Select(u => new Row(u.Id, u.Name, u.Email, u.Active, u.HasSignedIn, Formats.DateTime(u.LastSignedInAt) ?? "Never")).ToList(),
                total, paging.Page, pagination.TotalPages, !provider.Archived));
        });
}
