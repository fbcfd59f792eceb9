using Dapper;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// The provider's trainees as its trainees page lists them: the trainees the API lists (<see cref="TraineeStore.Listed"/>)
/// less erased ones (ADR 16: nothing of the person is left to show), searched by name or TRN (every word of the search in
/// the first, middle or last names or the TRN, case-insensitive), filtered by states and by academic years (of the ITT
/// start), most recently updated first.
/// </summary>
internal static class TraineeSearch
{
    internal sealed record Filters(string? Search, IReadOnlyList<string> States, IReadOnlyList<int> Years);

    private const string Shown = $"{TraineeStore.Listed} AND t.erased_at IS NULL";

    public static async Task<(IReadOnlyList<Trainee> Trainees, long Total)> PageAsync(
        NpgsqlConnection connection, Guid providerId, Filters filters, PageRequest paging, CancellationToken ct)
    {
        var words = (filters.Search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.ToLowerInvariant()).Distinct().Take(10).ToArray();
        var where = string.Join(" AND ", new[]
        {
            Shown,
            words.Length == 0 ? null : "(SELECT bool_and(position(w IN lower(concat_ws(' ', t.first_names, t.middle_names, t.last_name, t.trn))) > 0) FROM unnest(@words) w)",
            filters.States.Count == 0 ? null : "t.state = ANY(@states)",
            filters.Years.Count == 0 ? null : "t.start_academic_year = ANY(@years)",
        }.Where(c => c is not null));
        var parameters = new { providerId, words, states = filters.States.ToArray(), years = filters.Years.ToArray(), limit = paging.PerPage, offset = paging.Offset };
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM trainees.trainees t WHERE {where}", parameters, cancellationToken: ct));
        var trainees = total == 0
            ? []
            : (await connection.QueryAsync<Trainee>(new CommandDefinition(
                TraineeStore.Select(where, "ORDER BY t.updated_at DESC, t.id DESC LIMIT @limit OFFSET @offset"), parameters, cancellationToken: ct))).AsList();
        return (trainees, total);
    }

    /// <summary>The academic years the provider's listed trainees started in, newest first.</summary>
    public static async Task<IReadOnlyList<int>> YearsAsync(NpgsqlConnection connection, Guid providerId, CancellationToken ct) =>
        (await connection.QueryAsync<int>(new CommandDefinition(
            $"SELECT DISTINCT t.start_academic_year FROM trainees.trainees t WHERE {Shown} ORDER BY 1 DESC", new { providerId }, cancellationToken: ct))).AsList();
}
