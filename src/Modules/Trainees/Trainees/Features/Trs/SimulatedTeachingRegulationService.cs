using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using Register.BuildingBlocks;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// The built-in stand-in for TRS (the default, when <c>Trs:BaseUrl</c> is not set): a TRN request is Completed at once with
/// the next of a 7-digit sequence (from 2000001), a route PUT is taken at once (so an award is made at once); the delays
/// before each are the requests' (<c>Trs:TrnDelay</c>, <c>Trs:AwardDelay</c>). It keeps TRS's state in the database
/// (<c>trainees.simulated_trs_*</c>), so every Register process, and a restarted one, gets TRS's answers: a reused request
/// id is 409/10029, an unknown one 404/10031, an unknown TRN 404/10001, a route that already Holds 400/10052.
/// </summary>
internal sealed class SimulatedTeachingRegulationService(NpgsqlDataSource db, TimeProvider clock) : ITeachingRegulationService
{
    public string Kind => "simulator";

    public async Task<TrsAnswer<TrnRequestInfo>> CreateTrnRequestAsync(TrnRequestBody body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var trn = (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT nextval('trainees.simulated_trns')", transaction: tx, cancellationToken: ct)))
            .ToString(CultureInfo.InvariantCulture);
        var now = clock.UtcNowForDatabase();
        var created = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO trainees.simulated_trs_trn_requests (request_id, trn, created_at) VALUES (@RequestId, @trn, @now) ON CONFLICT DO NOTHING",
            new { body.RequestId, trn, now }, tx, cancellationToken: ct));
        if (created == 0)
        {
            return TrsAnswer<TrnRequestInfo>.Refused(409, TrsErrorCodes.TrnRequestAlreadyCreated, "TRN request has already been created.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO trainees.simulated_trs_persons (trn, updated_at) VALUES (@trn, @now)", new { trn, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TrsAnswer<TrnRequestInfo>.Success(200, Completed(body.RequestId, trn));
    }

    public async Task<TrsAnswer<TrnRequestInfo>> GetTrnRequestAsync(string requestId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var trn = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT trn FROM trainees.simulated_trs_trn_requests WHERE request_id = @requestId", new { requestId }, cancellationToken: ct));
        return trn is null
            ? TrsAnswer<TrnRequestInfo>.Refused(404, TrsErrorCodes.TrnRequestDoesNotExist, "TRN request does not exist.")
            : TrsAnswer<TrnRequestInfo>.Success(200, Completed(requestId, trn));
    }

    public async Task<TrsAnswer<bool>> SetPersonalDataAsync(string trn, PersonalDataBody body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trainees.simulated_trs_persons SET updated_at = @now WHERE trn = @trn", new { trn, now = clock.UtcNowForDatabase() }, cancellationToken: ct));
        return updated == 0 ? PersonNotFound<bool>() : TrsAnswer<bool>.Success(204, true);
    }

    public async Task<TrsAnswer<bool>> SetRouteAsync(string trn, string reference, RouteBody body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT FROM trainees.simulated_trs_persons WHERE trn = @trn FOR UPDATE)", new { trn }, tx, cancellationToken: ct));
        if (!known)
        {
            return PersonNotFound<bool>();
        }

        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT status FROM trainees.simulated_trs_routes WHERE trn = @trn AND reference = @reference", new { trn, reference }, tx, cancellationToken: ct));
        if (status == TrsBodies.Holds)
        {
            return TrsAnswer<bool>.Refused(400, TrsErrorCodes.RouteAlreadyHolds, "Route to professional status already awarded.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trainees.simulated_trs_routes (trn, reference, route_type, status, holds_from, updated_at)
            VALUES (@trn, @reference, @RouteToProfessionalStatusTypeId, @Status, @HoldsFrom, @now)
            ON CONFLICT (trn, reference) DO UPDATE SET route_type = excluded.route_type, status = excluded.status, holds_from = excluded.holds_from,
                updated_at = excluded.updated_at
            """,
            new { trn, reference, body.RouteToProfessionalStatusTypeId, body.Status, body.HoldsFrom, now = clock.UtcNowForDatabase() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TrsAnswer<bool>.Success(204, true);
    }

    public async Task<TrsAnswer<JsonElement>> GetPersonAsync(string trn, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT FROM trainees.simulated_trs_persons WHERE trn = @trn)", new { trn }, cancellationToken: ct));
        return known ? TrsAnswer<JsonElement>.Success(200, JsonSerializer.SerializeToElement(new { trn }, TrsJson.Options)) : PersonNotFound<JsonElement>();
    }

    private static TrnRequestInfo Completed(string requestId, string trn) => new() { RequestId = requestId, Status = TrnRequestStatuses.Completed, Trn = trn };

    private static TrsAnswer<T> PersonNotFound<T>() => TrsAnswer<T>.Refused(404, TrsErrorCodes.PersonNotFound, "Person not found.");
}
