using Dapper;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Providers.Contracts;

namespace Register.Access.Features.ApiTokens;

/// <summary>
/// What the provider's API token pages share: only users of an accredited HEI manage tokens (as in the reference), and a
/// token is one of their provider's <c>trainees_api</c> clients (the same <c>access.api_clients</c> rows the support API
/// and the API client pages manage).
/// </summary>
internal static class ApiTokenPages
{
    public const string NotAnAccreditedHei =
        "Only users of an accredited higher education institution (HEI) can manage Register API tokens. If you think you should be able to, contact the Register support team.";

    /// <summary>The 403 page, with why, for a provider user whose provider is not an accredited HEI (or no longer exists, or is archived).</summary>
    public static RouteGroupBuilder ForAccreditedHeis(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var provider = await http.RequestServices.GetRequiredService<ISender>().Send(new GetProviderHeading(http.SignedInProviderId()), http.RequestAborted);
            if (provider is not { ProviderType: "hei", AccreditationStatus: "accredited", Archived: false })
            {
                return Pages.Problem(StatusCodes.Status403Forbidden, NotAnAccreditedHei);
            }

            http.Items[typeof(ProviderHeading)] = provider;
            return await next(context);
        });
        return group;
    }

    /// <summary>The signed-in user's provider, as the group's filter found it (the pages need not ask Providers again).</summary>
    public static ProviderHeading Provider(this HttpContext http) =>
        http.Items[typeof(ProviderHeading)] as ProviderHeading ?? throw new InvalidOperationException("The API token pages' filter finds the provider first.");

    /// <summary>The provider's token (a live or revoked <c>trainees_api</c> client of theirs); null for any other id.</summary>
    public static async Task<ApiClient?> FindAsync(NpgsqlConnection connection, Guid id, Guid providerId, CancellationToken ct) =>
        await ApiClient.FindAsync(connection, id, null, ct) is { Audience: ApiAudiences.TraineesApi } client && client.OrganisationId == providerId ? client : null;

    /// <summary>The provider's tokens, not deleted, newest first.</summary>
    public static async Task<IReadOnlyList<ApiClient>> ListAsync(NpgsqlDataSource db, Guid providerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ApiClient>(new CommandDefinition(
            $"""
            SELECT {ApiClient.Columns} FROM access.api_clients
            WHERE audience = 'trainees_api' AND organisation_id = @providerId AND deleted_at IS NULL
            ORDER BY created_at DESC, id DESC
            """,
            new { providerId }, cancellationToken: ct))).AsList();
    }
}
