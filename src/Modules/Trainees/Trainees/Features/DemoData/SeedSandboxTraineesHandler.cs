using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;
using Register.Trainees.Features.Lifecycle;
using Register.Trainees.Features.Trs;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.DemoData;

/// <summary>
/// Answers <see cref="SeedSandboxTrainees"/>: eight trainees made as POST /trainees makes them (newest version), then moved on
/// as the API and TRS move them: TRS gives TRNs (the worker, at once), then defer, withdraw and recommend (the API's own
/// steps and rules), then TRS awards. Two wait on TRS for a year, so that <c>submitted_for_trn</c> and
/// <c>recommended_for_award</c> stay to be seen while the sandbox's TRS is otherwise quick.
/// </summary>
internal sealed class SeedSandboxTraineesHandler(TransactionRunner transactions, TrsWorker trsWorker, NpgsqlDataSource db, TimeProvider clock)
    : IRequestHandler<SeedSandboxTrainees, IReadOnlyList<SandboxTrainee>>
{
    private static readonly Actor Sandbox = Actor.SystemTask("Sandbox data");

    /// <summary>How long TRS keeps the samples that show a state waiting on it.</summary>
    private static readonly TimeSpan Waiting = TimeSpan.FromDays(365);

    /// <summary>What becomes of a sample after it is made.</summary>
    private enum Then
    {
        WaitForTrn,
        Nothing,
        Defer,
        Withdraw,
        RecommendAndWait,
        RecommendAndAward,
    }

    public async ValueTask<IReadOnlyList<SandboxTrainee>> Handle(SeedSandboxTrainees request, CancellationToken cancellationToken)
    {
        var version = TraineeApiVersions.Latest;
        var today = clock.TodayInLondon();

        // Made, each with its TRN request: due now, or in a year for the one that shows submitted_for_trn.
        var made = await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            if (await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM trainees.trainees WHERE provider_id = @ProviderId)", request, tx, cancellationToken: cancellationToken)))
            {
                return [];
            }

            var schools = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
                "SELECT urn FROM trainees.schools ORDER BY urn LIMIT 2", transaction: tx, cancellationToken: cancellationToken))).ToList();
            var now = clock.UtcNowForDatabase();
            var trainees = new List<(Guid Id, Then Then)>();
            foreach (var (json, then) in Samples(today, request.TrainingPartnerUrn, schools))
            {
                var data = RequestData.From(JsonNode.Parse(json)!.AsObject(), version);
                var outcome = await TraineeCreation.CreateAsync(tx, TraineeDraft.ForCreate(data, version), request.ProviderId, version, "api", Sandbox,
                    now, today, then == Then.WaitForTrn ? Waiting : TimeSpan.Zero, cancellationToken);
                if (outcome.Created is null)
                {
                    throw new InvalidOperationException(
                        $"A sandbox trainee broke a rule: {string.Join("; ", outcome.Errors.Select(e => e.FullMessage))}{(outcome.Duplicates.Count > 0 ? "(a duplicate)" : "")}");
                }

                trainees.Add((outcome.Created.Id, then));
            }

            return trainees;
        }, cancellationToken);
        if (made.Count == 0)
        {
            return [];
        }

        // TRS gives the TRNs now due; then the API's steps, and TRS again for the award now due.
        var ids = made.Select(m => m.Id).ToArray();
        await TrsDoneAsync(ids, cancellationToken);
        await transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            foreach (var (id, then) in made.Where(m => m.Then is not (Then.WaitForTrn or Then.Nothing)))
            {
                await MoveOnAsync(tx, id, then, version, cancellationToken);
            }

            return 0;
        }, cancellationToken);
        await TrsDoneAsync(ids, cancellationToken);

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid Id, string Slug, string FirstNames, string LastName, string State, string? Trn)>(new CommandDefinition(
            "SELECT id, slug, first_names, last_name, state, trn FROM trainees.trainees WHERE id = ANY(@ids)", new { ids }, cancellationToken: cancellationToken));
        var byId = rows.ToDictionary(r => r.Id);
        return made.Select(m => byId[m.Id]).Select(r => new SandboxTrainee(r.Slug, $"{r.FirstNames} {r.LastName}", r.State, r.Trn)).ToList();
    }

    /// <summary>
    /// Has TRS do the work now due for these trainees, and waits until it is done: a running service's TRS worker may hold one
    /// (it skips what another holds), and a step taken before its TRN is written would be refused.
    /// </summary>
    private async Task TrsDoneAsync(Guid[] ids, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            await trsWorker.ProcessDueAsync(ct);
            await using var connection = await db.OpenConnectionAsync(ct);
            var pending = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM trainees.trs_requests WHERE trainee_id = ANY(@ids) AND completed_at IS NULL AND due_at <= @now)",
                new { ids, now = clock.UtcNowForDatabase() }, cancellationToken: ct));
            if (!pending)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("TRS did not finish the sandbox trainees' work within a minute.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    /// <summary>Takes the trainee as the API's step would, and writes the step's outcome; a sample the step refuses is a bug.</summary>
    private async Task MoveOnAsync(NpgsqlTransaction tx, Guid id, Then then, TraineeApiVersion version, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var trainee = await connection.QuerySingleAsync<Trainee>(new CommandDefinition(TraineeStore.Select("t.id = @id", "FOR UPDATE OF t"), new { id }, tx, cancellationToken: ct));
        var degrees = (await TraineeStore.DegreesAsync(connection, [id], tx, ct))[id].Count();
        var placements = (await TraineeStore.PlacementsAsync(connection, [id], tx, ct))[id].Count();
        var today = clock.TodayInLondon();
        var now = clock.UtcNowForDatabase();
        var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (body, decide) = then switch
        {
            Then.Defer => ($$"""{"defer_date":"{{date}}","defer_reason":"Personal circumstances: starting again next year"}""", (Func<TraineeLifecycle.Request, TraineeLifecycle.Step>)DeferTrainee.Defer),
            Then.Withdraw => ($$"""{"withdrawal_date":"{{date}}","trigger":"trainee","future_interest":"yes","reasons":["change_in_personal_or_health_circumstances"]}""", WithdrawTrainee.Withdraw),
            Then.RecommendAndWait => ($$"""{"qts_standards_met_date":"{{date}}"}""", r => RecommendTrainee.Recommend(r, new TrsOptions { AwardDelay = Waiting })),
            Then.RecommendAndAward => ($$"""{"qts_standards_met_date":"{{date}}"}""", r => RecommendTrainee.Recommend(r, new TrsOptions { AwardDelay = TimeSpan.Zero })),
            _ => throw new ArgumentOutOfRangeException(nameof(then), then, "No step to take"),
        };
        var step = decide(new TraineeLifecycle.Request(trainee, RequestData.From(JsonNode.Parse(body)!.AsObject(), version), today, now, degrees, placements));
        if (step.IsRefused || step.Errors.Count > 0)
        {
            throw new InvalidOperationException($"A sandbox trainee could not be moved on ({then}): {(step.IsRefused ? "not in this state" : string.Join("; ", step.Errors))}");
        }

        await TraineeLifecycle.ApplyAsync(tx, trainee, step, Sandbox, now, ct);
    }

    /// <summary>
    /// The samples, in the newest version's names: postgraduate, undergraduate, school direct salaried (with the training
    /// partner) and early-years routes. They started this academic year (or on its first day, in August), so that each may
    /// be deferred, withdrawn or recommended today.
    /// </summary>
    private static IEnumerable<(string Json, Then Then)> Samples(DateOnly today, string? partnerUrn, List<string> schoolUrns)
    {
        var cycle = AcademicCycles.Of(today);
        var start = today >= new DateOnly(cycle, 9, 1) ? new DateOnly(cycle, 9, 1) : new DateOnly(cycle, 8, 1);
        var dates = $"\"itt_start_date\":\"{start:yyyy-MM-dd}\",\"itt_end_date\":\"{cycle + 1}-07-31\"";
        var common = $"{dates},\"study_mode\":\"01\",\"itt_aim\":\"202\",\"course_year\":\"1\",\"nationality\":\"GB\"";
        const string degree = "\"degrees_attributes\":[{\"grade\":\"02\",\"subject\":\"100425\",\"institution\":\"0116\",\"uk_degree\":\"083\",\"graduation_year\":\"2020\"}]";
        var placements = schoolUrns.Count >= 2
            ? $"\"placements_attributes\":[{{\"urn\":\"{schoolUrns[0]}\"}},{{\"urn\":\"{schoolUrns[1]}\"}}]"
            : "\"placements_attributes\":[{\"name\":\"Sandbox Primary School\",\"postcode\":\"LS1 4AP\"},{\"name\":\"Sandbox Secondary Academy\",\"postcode\":\"LS2 7EY\"}]";
        var partner = partnerUrn is null ? "" : $"\"training_partner_urn\":\"{partnerUrn}\",";
        string Postgraduate(string first, string last, string birthday, string sex, int n) =>
            $$"""{"first_names":"{{first}}","last_name":"{{last}}","date_of_birth":"{{birthday}}","sex":"{{sex}}","email":"{{first.ToLowerInvariant()}}.{{last.ToLowerInvariant()}}@example.com","training_route":"12","course_subject_1":"100425","course_age_range":"13918","itt_qualification_aim":"020","fund_code":"7","funding_method":"4","hesa_id":"269000000000{{n}}","ethnicity":"120",{{common}},{{degree}},{{placements}}}""";

        yield return (Postgraduate("Sam", "Patel", "1997-05-14", "11", 1), Then.WaitForTrn);
        yield return (Postgraduate("Olivia", "Brown", "1995-01-23", "10", 2), Then.Nothing);
        yield return ($$"""{"first_names":"Noah","last_name":"Williams","date_of_birth":"2004-03-08","sex":"11","email":"noah.williams@example.com","training_route":"11","course_subject_1":"100511","course_age_range":"13914","itt_qualification_aim":"007","fund_code":"2","funding_method":"6","hesa_id":"2690000000003","disability1":"51",{{common}}}""", Then.Nothing);
        yield return ($$"""{"first_names":"Mia","last_name":"Taylor","date_of_birth":"1992-09-30","sex":"10","email":"mia.taylor@example.com","training_route":"03",{{partner}}"course_subject_1":"100403","course_age_range":"13919","itt_qualification_aim":"020","fund_code":"7","funding_method":"E","hesa_id":"2690000000004","ethnicity":"103",{{common}},{{degree}}}""", Then.Defer);
        yield return (Postgraduate("Leo", "Evans", "1999-12-02", "11", 5), Then.Withdraw);
        yield return (Postgraduate("Ava", "Johnson", "1994-06-17", "10", 6), Then.RecommendAndWait);
        yield return (Postgraduate("Ethan", "Clarke", "1990-10-11", "11", 7), Then.RecommendAndAward);
        yield return ($$"""{"first_names":"Isla","last_name":"Wright","date_of_birth":"1996-02-05","sex":"10","email":"isla.wright@example.com","training_route":"19","course_subject_1":"100510","course_age_range":"13920","itt_qualification_aim":"020","fund_code":"7","funding_method":"E","hesa_id":"2690000000008",{{common}},{{degree}}}""", Then.Nothing);
    }
}
