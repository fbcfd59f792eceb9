using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.Trainees.Domain;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>
/// The first step of every change to a trainee, its degrees and its placements: the provider's trainee, locked for the
/// transaction; 404 if there is none, and from v2026.1 a 422 StateTransitionError if it is recommended, withdrawn or awarded.
/// A trainee whose personal data was erased (ADR 16) cannot change in any version: the same 422.
/// </summary>
internal static class EditableTrainee
{
    public static async Task<(Trainee? Trainee, IResult? Refusal)> FindAsync(
        NpgsqlTransaction tx, KnownProvider provider, string traineeId, TraineeApiVersion version, CancellationToken ct)
    {
        var trainee = await TraineeStore.FindAsync(tx.Connection!, provider.Id, traineeId, tx, ct);
        if (trainee is null)
        {
            return (null, TraineeApiResults.NotFound());
        }

        return trainee.ErasedAt is not null || (version.StateLock && TraineeStates.IsLocked(trainee.State))
            ? (null, TraineeApiResults.StateTransitionError())
            : (trainee, null);
    }
}
