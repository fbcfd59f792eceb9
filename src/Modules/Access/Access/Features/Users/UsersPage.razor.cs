using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.Users;

/// <summary><c>GET /users</c>: "Users (N)", by first then last name, 25 a page, the same list as <c>GET /support/users</c>.</summary>
public sealed partial class UsersPage
{
    public sealed record Row(Guid Id, string Name, string Email, bool Active, bool ApiUser, bool SystemAdmin);

    public sealed record PageModel(IReadOnlyList<Row> Users, long Total, int Page, int TotalPages);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/users", async (HttpContext http, string? page, NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (!PageRequest.TryParse(page, null, ListUsers.PageSize, ListUsers.PageSize, out var paging, out _))
            {
                return Pages.NotFound();
            }

            var (users, total) = await ListUsers.PageAsync(db, paging, ct);
            var pagination = Pagination.Of(paging.Page, paging.PerPage, total);
            return Pages.Show<UsersPage>(http, new PageModel(
                users.Select(u => new Row(u.Id, u.Name, u.Email, u.Active, u.IsApiUser, u.SystemAdmin)).ToList(), total, paging.Page, pagination.TotalPages));
        });
}
