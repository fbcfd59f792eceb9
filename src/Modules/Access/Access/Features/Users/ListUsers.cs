using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Access.Features.Users;

/// <summary><c>GET /support/users</c> and <c>GET /support/users/{id}</c>: support and API users that are not deleted (provider users are on their provider's Users tab), by first then last name, 25 a page.</summary>
internal static class ListUsers
{
    public const int PageSize = 25;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/users", async (string? page, string? per_page, NpgsqlDataSource db, CancellationToken ct) =>
            {
                if (!PageRequest.TryParse(page, per_page, PageSize, 100, out var paging, out var error))
                {
                    return (IResult)error!;
                }

                var (users, total) = await PageAsync(db, paging, ct);
                return TypedResults.Ok(new Page<UserResponse>(users.Select(UserResponse.From).ToList(), Pagination.Of(paging.Page, paging.PerPage, total)));
            })
            .WithName("ListUsers")
            .WithSummary("List support users and API users")
            .WithPageParameters(PageSize, 100)
            .Produces<Page<UserResponse>>()
            .Produces(StatusCodes.Status400BadRequest);

        group.MapGet("/users/{id:guid}", async (Guid id, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                return await User.FindSupportAsync(connection, id, null, ct) is { } user
                    ? (IResult)TypedResults.Ok(new UserEnvelope(UserResponse.From(user)))
                    : ApiErrors.NotFound("User not found");
            })
            .WithName("GetUser")
            .WithSummary("Show a user")
            .Produces<UserEnvelope>()
            .Produces(StatusCodes.Status404NotFound);
    }

    public static async Task<(IReadOnlyList<User> Users, long Total)> PageAsync(NpgsqlDataSource db, PageRequest paging, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM access.users WHERE deleted_at IS NULL AND role <> 'provider'", cancellationToken: ct));
        var users = await connection.QueryAsync<User>(new CommandDefinition(
            $"SELECT {User.Columns} FROM access.users WHERE deleted_at IS NULL AND role <> 'provider' ORDER BY lower(first_name), lower(last_name), id LIMIT @PerPage OFFSET @Offset",
            new { paging.PerPage, paging.Offset }, cancellationToken: ct));
        return (users.AsList(), total);
    }
}
