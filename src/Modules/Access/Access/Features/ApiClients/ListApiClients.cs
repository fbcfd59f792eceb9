using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiClients;

/// <summary><c>GET /support/api-clients</c>: the clients that are not deleted, by name, 15 a page; optionally of one audience.</summary>
internal static class ListApiClients
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/api-clients", HandleAsync)
            .WithName("ListApiClients")
            .WithSummary("List API clients")
            .WithQueryParameter("audience", "string", "Only clients of this audience", values: ApiAudiences.All)
            .WithPageParameters(15, 100)
            .Produces<Page<ApiClientResponse>>()
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(
        string? page, string? per_page, string? audience, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (!PageRequest.TryParse(page, per_page, defaultPerPage: 15, maxPerPage: 100, out var paging, out var error))
        {
            return error!;
        }

        if (audience is not null && !ApiAudiences.All.Contains(audience))
        {
            return ApiErrors.BadRequest($"audience is not included in the list ({string.Join(", ", ApiAudiences.All)})", "audience");
        }

        var (clients, total) = await PageAsync(db, paging, audience, null, ct);
        return TypedResults.Ok(new Page<ApiClientResponse>(
            clients.Select(c => c.ToResponse(clock)).ToList(),
            Pagination.Of(paging.Page, paging.PerPage, total)));
    }

    /// <summary>A page of the clients that are not deleted, by name; of one audience, or made by one person, when given.</summary>
    public static async Task<(IReadOnlyList<ApiClient> Clients, long Total)> PageAsync(
        NpgsqlDataSource db, PageRequest paging, string? audience, Guid? createdBy, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        const string where = "WHERE deleted_at IS NULL AND (@audience::text IS NULL OR audience = @audience) AND (@createdBy::uuid IS NULL OR created_by_id = @createdBy)";
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM access.api_clients {where}", new { audience, createdBy }, cancellationToken: ct));
        var clients = await connection.QueryAsync<ApiClient>(new CommandDefinition(
            $"SELECT {ApiClient.Columns} FROM access.api_clients {where} ORDER BY lower(name), id LIMIT @PerPage OFFSET @Offset",
            new { audience, createdBy, paging.PerPage, paging.Offset }, cancellationToken: ct));
        return (clients.AsList(), total);
    }
}
