using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.Trainees.Api;
using Register.Trainees.Features.Trs;
using Register.Trainees.Versions;

namespace Register.Trainees.Domain;

/// <summary>What came of creating a trainee: the broken rules, the trainees it duplicates, or the trainee made.</summary>
internal sealed record TraineeCreationOutcome(IReadOnlyList<TraineeError> Errors, IReadOnlyList<Trainee> Duplicates, Trainee? Created);

/// <summary>
/// Creates a trainee with its degrees and placements in the caller's transaction, as POST /trainees and every row of a
/// CSV upload do: the rules, then the duplicate check (spec §5.9), then the rows and their notifications. Requests for the
/// same provider, date of birth and last name take turns (a transaction lock), so two identical requests at once make
/// one trainee and one 409.
/// </summary>
internal static class TraineeCreation
{
    /// <param name="trnDelay">How long TRS takes to allocate the TRN the new trainee is submitted for.</param>
    public static async Task<TraineeCreationOutcome> CreateAsync(
        NpgsqlTransaction tx, TraineeDraft draft, Guid providerId, TraineeApiVersion version, string recordSource, Actor actor,
        DateTimeOffset now, DateOnly today, TimeSpan trnDelay, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var known = await KnownOrganisations.LoadAsync(connection,
            [draft.TrainingPartnerKey == "training_partner_urn" ? draft["training_partner_urn"] : null],
            [draft.TrainingPartnerKey == "training_partner_ukprn" ? draft["training_partner_ukprn"] : null],
            [draft["employing_school_urn"], .. PlacementRules.Urns(draft.Placements)],
            tx, ct);
        var rules = TraineeRules.Validate(draft, version, known, today);
        if (!rules.IsValid)
        {
            return new TraineeCreationOutcome(rules.Errors, [], null);
        }

        var candidate = rules.Trainee;
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
            new { key = $"trainee:{providerId}:{candidate.DateOfBirth:yyyy-MM-dd}:{candidate.LastName.ToLowerInvariant()}" }, tx, cancellationToken: ct));
        var duplicates = await DuplicatesAsync(connection, providerId, candidate, tx, ct);
        if (duplicates.Count > 0)
        {
            return new TraineeCreationOutcome([], duplicates, null);
        }

        // Ids increase strictly (EventIds), so the degrees and placements made in one request keep the order they were sent in.
        var trainee = candidate with
        {
            Id = EventIds.Next(now),
            Slug = Slugs.New(),
            ProviderId = providerId,
            State = TraineeStates.SubmittedForTrn,
            RecordSource = recordSource,
            SubmittedForTrnAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await TraineeStore.InsertAsync(tx, trainee, ct);
        await TrsRequests.EnqueueAsync(tx, trainee.Id, TrsRequests.Trn, now + trnDelay, now, ct);
        var degrees = rules.Degrees.Select(d => d.ToDegree(new Degree { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now, UpdatedAt = now })).ToList();
        foreach (var degree in degrees)
        {
            await TraineeStore.InsertDegreeAsync(tx, degree, ct);
        }

        var placements = rules.Placements.Select(p => p.ToPlacement(new Placement { Id = EventIds.Next(now), Slug = Slugs.New(), TraineeId = trainee.Id, CreatedAt = now, UpdatedAt = now })).ToList();
        foreach (var placement in placements)
        {
            await TraineeStore.InsertPlacementAsync(tx, placement, ct);
        }

        var created = await TraineeStore.FindAsync(connection, providerId, trainee.Slug, tx, ct) ?? trainee;
        await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Trainee, created, RecordActions.Created, actor,
            TraineeEvents.Between(null, TraineeJson.Trainee(created, [], [], null, TraineeApiVersions.Latest)), now, ct);
        foreach (var degree in degrees)
        {
            await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Degree, created, RecordActions.Created, actor, TraineeEvents.Between(null, TraineeJson.Degree(degree)), now, ct);
        }

        // Read back: a placement at a known school shows the school's name and postcode.
        var storedPlacements = await TraineeStore.PlacementsAsync(connection, [created.Id], tx, ct);
        foreach (var placement in storedPlacements[created.Id])
        {
            await TraineeEvents.EnqueueAsync(tx, TraineeEvents.Placement, created, RecordActions.Created, actor, TraineeEvents.Between(null, TraineeJson.Placement(placement)), now, ct);
        }

        return new TraineeCreationOutcome([], [], created);
    }

    /// <summary>
    /// The provider's kept trainees this one duplicates: same date of birth and last name (ignoring case), same start
    /// academic year (of the new ITT start date), same route, and the same first name (its first word, letters only) or email.
    /// </summary>
    private static async Task<IReadOnlyList<Trainee>> DuplicatesAsync(NpgsqlConnection connection, Guid providerId, Trainee candidate, NpgsqlTransaction tx, CancellationToken ct)
    {
        var matches = await connection.QueryAsync<Trainee>(new CommandDefinition(
            TraineeStore.Select("""
                t.provider_id = @providerId AND t.discarded_at IS NULL AND t.date_of_birth = @DateOfBirth AND lower(t.last_name) = lower(@LastName)
                AND t.start_academic_year = @cycle AND t.training_route = @TrainingRoute
                """, "ORDER BY t.created_at"),
            new { providerId, candidate.DateOfBirth, candidate.LastName, cycle = AcademicCycles.Of(candidate.IttStartDate), candidate.TrainingRoute },
            tx, cancellationToken: ct));
        var firstName = FirstName(candidate.FirstNames);
        var email = candidate.Email?.Trim().ToLowerInvariant();
        return matches.Where(m => FirstName(m.FirstNames) == firstName || m.Email?.Trim().ToLowerInvariant() == email).ToList();
    }

    private static string FirstName(string names)
    {
        var letters = new string(names.Trim().ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or ' ').ToArray());
        return letters.Split(' ')[0];
    }
}
