using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.Providers.Domain;

namespace Register.Providers.Features.ProvidersApi;

/// <summary>
/// <c>GET /api/v0/providers</c>, as the reference: every provider that is not deleted (archived ones included)
/// and active in <c>academic_year</c> (a year like 2025; anything else means the current one), changed at or
/// after <c>changed_since</c>, ordered by updated_at, operating name and id, unpaginated. Unlike the
/// reference, a <c>changed_since</c> that is not a date is a 400, not a 500 or no filter.
/// </summary>
internal static partial class ListProvidersV0
{
    internal sealed record ProviderV0(
        string RotpId, string OperatingName, string ProviderType, string Code, string AccreditationStatus, string Ukprn, string? Urn, string UpdatedAt);

    internal sealed record ProvidersV0Response(IReadOnlyList<ProviderV0> Data);

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/providers", HandleAsync)
            .WithName("ListProvidersV0")
            .WithSummary("Providers active in an academic year, for the reference's clients")
            .WithQueryParameter("changed_since", "string", "Only providers changed at or after this time, in ISO 8601 (2026-01-01T00:00:00Z)", format: "date-time")
            .WithQueryParameter("academic_year", "string", "The academic year starting in this year, such as 2026 (anything else: the current one)")
            .Produces<ProvidersV0Response>()
            .WithResponseExample(StatusCodes.Status200OK, new ProvidersV0Response([
                new ProviderV0("5f2b1c3d-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "Example University", "hei", "1234", "accredited", "10000001", null, "2026-09-01T08:30:00Z")]))
            .Produces(StatusCodes.Status400BadRequest);

    private static async Task<IResult> HandleAsync(string? changed_since, string? academic_year, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (!ProvidersApiParameters.TryChangedSince(changed_since, out var changedSince, out var error))
        {
            return error!;
        }

        var today = clock.TodayInLondon();
        var year = academic_year is not null && YearFormat().IsMatch(academic_year)
            ? int.Parse(academic_year, CultureInfo.InvariantCulture)
            : AcademicYears.Containing(today);

        await using var connection = await db.OpenConnectionAsync(ct);
        var providers = await connection.QueryAsync<Provider>(new CommandDefinition(
            $"""
            SELECT {Provider.Columns} FROM providers.providers
            WHERE deleted_at IS NULL AND (@changedSince::timestamptz IS NULL OR updated_at >= @changedSince) AND {ProviderQueries.ActiveInAnyYear}
            ORDER BY updated_at, operating_name, id
            """,
            new { changedSince, years = new[] { year }, today }, cancellationToken: ct));
        return TypedResults.Ok(new ProvidersV0Response(providers.Select(p => new ProviderV0(
            p.RotpId, p.OperatingName, p.ProviderType, p.Code, p.AccreditationStatus, p.Ukprn, p.Urn,
            p.UpdatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))).ToList()));
    }

    [GeneratedRegex("^2[0-9]{3}$")]
    private static partial Regex YearFormat();
}
