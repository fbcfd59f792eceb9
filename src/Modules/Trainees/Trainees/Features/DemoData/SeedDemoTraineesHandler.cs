using System.Text.Json.Nodes;
using Dapper;
using Mediator;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.Trainees.Api;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trs;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.DemoData;

/// <summary>Answers <see cref="SeedDemoTrainees"/>: four trainees of the current cycle, made as POST /trainees makes them.</summary>
internal sealed class SeedDemoTraineesHandler(TransactionRunner transactions, TimeProvider clock, IOptions<TrsOptions> trs) : IRequestHandler<SeedDemoTrainees, IReadOnlyList<string>>
{
    private static readonly Actor Demo = Actor.SystemTask("Demo data");

    public ValueTask<IReadOnlyList<string>> Handle(SeedDemoTrainees request, CancellationToken cancellationToken) =>
        new(transactions.RunAsync(TraineesModule.Schema, async tx =>
        {
            if (await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM trainees.trainees WHERE provider_id = @ProviderId)", request, tx, cancellationToken: cancellationToken)))
            {
                return (IReadOnlyList<string>)[];
            }

            var today = clock.TodayInLondon();
            var cycle = AcademicCycles.Of(today);
            var created = new List<string>();
            foreach (var json in Trainees(cycle))
            {
                var data = RequestData.From(JsonNode.Parse(json)!.AsObject(), TraineeApiVersions.Latest);
                var outcome = await TraineeCreation.CreateAsync(tx, TraineeDraft.ForCreate(data, TraineeApiVersions.Latest), request.ProviderId,
                    TraineeApiVersions.Latest, "api", Demo, clock.UtcNowForDatabase(), today, trs.Value.TrnDelay, cancellationToken);
                if (outcome.Created is null)
                {
                    throw new InvalidOperationException($"A demo trainee broke a rule: {string.Join("; ", outcome.Errors.Select(e => e.FullMessage))}");
                }

                created.Add(outcome.Created.Slug);
            }

            return created;
        }, cancellationToken));

    private static IEnumerable<string> Trainees(int cycle)
    {
        var start = $"{cycle}-09-01";
        var end = $"{cycle + 1}-07-31";
        var common = $"\"itt_start_date\":\"{start}\",\"itt_end_date\":\"{end}\",\"study_mode\":\"01\",\"itt_aim\":\"202\",\"course_year\":\"1\",\"nationality\":\"GB\"";
        const string degree = "\"degrees_attributes\":[{\"grade\":\"02\",\"subject\":\"100425\",\"institution\":\"0116\",\"uk_degree\":\"083\",\"graduation_year\":\"2019\"}]";
        yield return $$"""{"first_names":"Amara","last_name":"Okafor","date_of_birth":"1996-04-12","sex":"10","email":"amara.okafor@example.com","training_route":"12","course_subject_1":"100425","course_age_range":"13918","itt_qualification_aim":"020","fund_code":"7","funding_method":"4","hesa_id":"2610000000001","ethnicity":"120",{{common}},{{degree}},"placements_attributes":[{"urn":"900020"}]}""";
        yield return $$"""{"first_names":"Tom","last_name":"Hughes","date_of_birth":"1999-11-03","sex":"11","email":"tom.hughes@example.com","training_route":"11","course_subject_1":"100511","course_age_range":"13914","itt_qualification_aim":"007","fund_code":"2","funding_method":"6","hesa_id":"2610000000002","disability1":"51",{{common}}}""";
        yield return $$"""{"first_names":"Priya","last_name":"Shah","date_of_birth":"1990-02-27","sex":"10","email":"priya.shah@example.com","training_route":"03","course_subject_1":"100403","course_age_range":"13919","itt_qualification_aim":"020","fund_code":"7","funding_method":"E","hesa_id":"2610000000003","ethnicity":"103",{{common}},{{degree}}}""";
        yield return $$"""{"first_names":"Grace","last_name":"Lee","date_of_birth":"1993-07-19","sex":"10","email":"grace.lee@example.com","training_route":"19","course_subject_1":"100510","course_age_range":"13920","itt_qualification_aim":"020","fund_code":"7","funding_method":"E","hesa_id":"2610000000004",{{common}},{{degree}}}""";
    }
}
