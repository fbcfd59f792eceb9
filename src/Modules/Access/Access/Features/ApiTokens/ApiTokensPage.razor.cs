using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Features.ApiClients;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Providers.Contracts;

namespace Register.Access.Features.ApiTokens;

/// <summary>
/// <c>GET /api-tokens</c> ("Manage your API tokens"): the provider's SRS API tokens (<c>trainees_api</c> clients), each with
/// its status, expiry, last use and creator, Revoke on the active ones, and "Generate token" while the provider has fewer
/// than <see cref="CreateApiClient.MaxLiveTraineeTokens"/> active tokens.
/// </summary>
public sealed partial class ApiTokensPage
{
    public sealed record Row(Guid Id, string Name, string Status, string ExpiresOn, string? LastUsed, string CreatedBy, string? RevokedBy);

    public sealed record PageModel(string ProviderName, IReadOnlyList<Row> Tokens, bool CanGenerate, int MaxActive);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/api-tokens", async (HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var providerId = http.SignedInProviderId();
            var provider = http.Provider();
            var today = clock.TodayInLondon();
            var tokens = await ApiTokenPages.ListAsync(db, providerId, http.RequestAborted);
            var rows = tokens.Select(t => new Row(
                t.Id, t.Name, t.Status(today), Formats.Date(t.ExpiresOn),
                t.LastUsedAt is { } used ? Formats.Date(LondonTime.DayOf(used)) : null,
                $"{t.CreatedByName} on {Formats.Date(LondonTime.DayOf(t.CreatedAt))}",
                t.RevokedAt is { } revoked ? $"{t.RevokedByName} on {Formats.Date(LondonTime.DayOf(revoked))}" : null)).ToList();
            var active = rows.Count(r => r.Status == "active");
            return Pages.Show<ApiTokensPage>(http, new PageModel(
                provider.OperatingName, rows, active < CreateApiClient.MaxLiveTraineeTokens, CreateApiClient.MaxLiveTraineeTokens));
        });
}
