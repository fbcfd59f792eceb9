using System.Text.Json.Nodes;
using Npgsql;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>Trainees as the API shows them, with their degrees and placements loaded in one round trip however many there are.</summary>
internal static class TraineeViews
{
    public static async Task<JsonObject> OneAsync(
        NpgsqlConnection connection, Trainee trainee, KnownProvider provider, TraineeApiVersion version, NpgsqlTransaction? tx, CancellationToken ct) =>
        (await ManyAsync(connection, [trainee], provider, version, tx, ct))[0];

    public static async Task<IReadOnlyList<JsonObject>> ManyAsync(
        NpgsqlConnection connection, IReadOnlyList<Trainee> trainees, KnownProvider provider, TraineeApiVersion version, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var ids = trainees.Select(t => t.Id).ToArray();
        var (degrees, placements) = await TraineeStore.PartsAsync(connection, ids, tx, ct);
        return trainees.Select(t => TraineeJson.Trainee(t, degrees[t.Id], placements[t.Id], provider.Ukprn, version)).ToList();
    }
}
