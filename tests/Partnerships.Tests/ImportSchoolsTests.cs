using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Partnerships.Contracts;
using System.Net.Http.Json;
using Register.TestKit;

namespace Register.Partnerships.Tests;

[Collection(PartnershipsCollection.Name)]
public sealed class ImportSchoolsTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private const string Header = "URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),Section41Approved (name),GOR (name)";

    [Fact]
    public async Task Gias_rows_are_upserted_by_urn_and_a_second_import_changes_nothing()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file,
        [
            Header,
            "100001,Open Primary,Community school,Open,Not applicable,North East",
            "100002,Welsh School,Welsh establishment,\"Open, but proposed to close\",Not applicable,Wales (pseudo)",
            "12,Bad Row,Community school,Open,Not applicable,London",
        ]);

        var first = await ImportAsync(file);
        var second = await ImportAsync(file);
        await File.WriteAllLinesAsync(file, [Header, "100001,Open Primary School,Community school,Closed,Not applicable,North East"]);
        var third = await ImportAsync(file);
        File.Delete(file);

        Assert.Equal((3, 2, 0, 1), (first.Rows, first.Created, first.Updated, first.Failures.Count));
        Assert.Equal("schools line 4: needs a 5 or 6 digit URN, a name, a type and a known status", first.Failures[0]);
        Assert.Equal((0, 0, 2), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal((0, 1), (third.Created, third.Updated));
    }

    private async Task<SchoolImportReport> ImportAsync(string path)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ImportSchools(path));
    }
}

[Collection(PartnershipsCollection.Name)]
public sealed class SandboxSeedTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    [Fact]
    public async Task The_sandbox_seed_builds_each_scenario_once()
    {
        IReadOnlyDictionary<string, Guid> ids;
        var support = await Api.SupportAsync();
        await support.PostAsJsonAsync("/support/lead-providers", new { name = "Teach First" });
        await support.PostAsJsonAsync("/support/delivery-partners", new { name = "Sandbox Delivery Partner 3" });
        await using (var scope = Api.Factory.Services.CreateAsyncScope())
        {
            ids = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SeedLeadProviderSandbox());
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SeedLeadProviderSandbox());
        }

        var client = Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", ids["Ambition Institute"]));
        var partnerships = (await (await client.GetAsync("/api/v3/partnerships")).BodyAsync()).GetProperty("data").EnumerateArray()
            .Select(p => p.GetProperty("attributes")).ToList();
        var year = DateTime.UtcNow.Month >= 6 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;
        var schools = (await (await client.GetAsync($"/api/v3/schools?filter[cohort]={year}")).BodyAsync()).GetProperty("data").EnumerateArray()
            .Select(s => s.GetProperty("attributes")).ToDictionary(s => s.Text("name"));

        Assert.Equal(7, ids.Count);
        // Its own six (two at the multi-delivery-partner school) and the one another lead provider's shared school has with it.
        Assert.Equal(7, partnerships.Count);
        Assert.Equal([0, 0, 0, 0, 2, 2, 2], partnerships.Select(p => p.GetProperty("participants_currently_training").GetInt32()).Order());
        Assert.True(schools["Sandbox School 1-1 (eoi-only)"].GetProperty("expression_of_interest").GetBoolean());
        Assert.False(schools["Sandbox School 1-1 (eoi-only)"].GetProperty("in_partnership").GetBoolean());
        Assert.Equal("school_led", schools["Sandbox School 1-5 (school-led)"].Text("induction_programme_choice"));
    }
}
