using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Partnerships.Contracts;
using Register.Providers.Contracts;
using Register.TestKit;

namespace Register.Partnerships.Tests;

public sealed class PartnershipsFixture : ApiFixture;

[CollectionDefinition(Name)]
public sealed class PartnershipsCollection : ICollectionFixture<PartnershipsFixture>
{
    public const string Name = "partnerships";
}

[Collection(PartnershipsCollection.Name)]
public sealed class ProviderPartnershipTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private async Task<(HttpClient Support, JsonElement Accredited, JsonElement Partner)> ProvidersAsync()
    {
        var support = await Api.SupportAsync("Jane Smith");
        return (support, await support.CreateAsync(ProviderRequests.Scitt()), await support.CreateAsync(ProviderRequests.School()));
    }

    private static object Body(JsonElement accredited, JsonElement partner, string start = "2024-08-01", string? end = null, int[]? years = null) =>
        new { accredited_provider_id = accredited.Id(), training_partner_id = partner.Id(), start_date = start, end_date = end, academic_years = years ?? [2024, 2025] };

    [Fact]
    public async Task A_partnership_is_created_and_shown_from_either_side()
    {
        var (support, accredited, partner) = await ProvidersAsync();

        var created = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Snapshots.MatchJsonAsync(created, "data.id", "data.accredited_provider.id", "data.training_partner.id", "data.created_at", "data.updated_at");
        var fromPartner = (await (await support.GetAsync($"/support/providers/{partner.Id()}/partnerships")).BodyAsync()).GetProperty("data");
        var fromAccredited = (await (await support.GetAsync($"/support/providers/{accredited.Id()}/partnerships")).BodyAsync()).GetProperty("data");
        Assert.Equal(fromPartner.GetRawText(), fromAccredited.GetRawText());
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync(created.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task Rules_and_messages()
    {
        var (support, accredited, partner) = await ProvidersAsync();
        var hei = await support.CreateAsync(ProviderRequests.Hei());

        var empty = await support.PostAsJsonAsync("/support/partnerships", new { });
        var notAccredited = await support.PostAsJsonAsync("/support/partnerships", Body(hei, partner));
        var self = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, accredited));
        var backwards = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2025-08-01", "2025-07-31", [2025]));
        var outside = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2024-08-01", "2025-07-31", [2023, 2024, 2026]));
        var unknown = await support.PostAsJsonAsync("/support/partnerships", new { accredited_provider_id = Guid.NewGuid(), training_partner_id = partner.Id(), start_date = "2024-08-01", academic_years = new[] { 2024 } });

        Assert.Equal(
        [
            "accredited_provider_id: Enter accredited provider name, code, UKPRN or URN", "training_partner_id: Enter training partner name, code, UKPRN or URN",
            "start_date: Enter date the partnership started", "academic_years: Select academic year",
        ], await empty.MessagesAsync());
        Assert.Equal(["accredited_provider_id: University of Testing is not accredited, so it cannot be the accredited provider"], await notAccredited.MessagesAsync());
        Assert.Equal(["training_partner_id: A provider cannot be in partnership with itself"], await self.MessagesAsync());
        Assert.Equal(["end_date: The partnership end date must be the same as or after the date it started"], await backwards.MessagesAsync());
        Assert.Equal(
            ["academic_years: Academic year 2023 to 2024 does not overlap the partnership dates", "academic_years: Academic year 2026 to 2027 does not overlap the partnership dates"],
            await outside.MessagesAsync());
        Assert.Equal(["accredited_provider_id: accredited_provider_id is not a provider in the register"], await unknown.MessagesAsync());
    }

    [Fact]
    public async Task A_second_overlapping_partnership_for_the_pair_is_refused_even_when_sent_at_once()
    {
        var (support, accredited, partner) = await ProvidersAsync();
        await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2024-08-01", "2025-07-31", [2024]));

        var overlapping = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2025-07-01", null, [2025]))));
        var later = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2025-08-01", null, [2025]));
        var again = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2026-08-01", null, [2026]))));

        Assert.All(overlapping, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(
            """{"errors":[{"error":"Conflict","message":"A partnership between these providers already exists for these dates: change the dates or the existing partnership"}]}""",
            await overlapping[0].Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.All(again, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(2, (await (await support.GetAsync($"/support/providers/{partner.Id()}/partnerships")).BodyAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Dates_and_years_change_but_partners_are_fixed_and_delete_is_soft()
    {
        var (support, accredited, partner) = await ProvidersAsync();
        var created = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2024-08-01", "2025-07-31", [2024]));
        var location = created.Headers.Location;

        var edited = await support.PatchAsJsonAsync(location, new { open_ended = true, academic_years = new[] { 2024, 2025, 2026 }, accredited_provider_id = Guid.NewGuid() });
        var data = (await edited.BodyAsync()).GetProperty("data");
        Assert.Equal((JsonValueKind.Null, "[2026,2025,2024]", accredited.Id()), (data.GetProperty("end_date").ValueKind, data.GetProperty("academic_years").GetRawText(), data.GetProperty("accredited_provider").Id()));
        Assert.Equal(["academic_years: Select academic year"], await (await support.PatchAsJsonAsync(location, new { academic_years = Array.Empty<int>() })).MessagesAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await support.DeleteAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync(location)).StatusCode);
        Assert.Equal(0, (await (await support.GetAsync($"/support/providers/{partner.Id()}/partnerships")).BodyAsync()).GetProperty("data").GetArrayLength());
        var items = await support.ItemsAsync($"/support/providers/{partner.Id()}/activity");
        Assert.Equal(["Provider partnership deleted", "Provider partnership updated", "Provider partnership added"], items.Take(3).Select(i => i.Text("headline")));
        Assert.Equal(items.Take(3).Select(i => i.Text("id")), (await support.ItemsAsync($"/support/providers/{accredited.Id()}/activity")).Take(3).Select(i => i.Text("id")));
    }

    [Fact]
    public async Task An_archived_providers_partnerships_are_read_only()
    {
        var (support, accredited, partner) = await ProvidersAsync();
        var created = await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner));
        await support.PostAsync($"/support/providers/{partner.Id()}/archive", null);

        var responses = new[]
        {
            await support.PatchAsJsonAsync(created.Headers.Location, new { end_date = "2026-07-31" }),
            await support.DeleteAsync(created.Headers.Location),
            await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner, "2030-08-01", null, [2030])),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal("Oak Primary School is archived, so its partnerships cannot be changed: restore it first",
            (await responses[0].BodyAsync()).GetProperty("errors")[0].Text("message"));
    }

    [Fact]
    public async Task Providers_this_module_never_heard_of_are_filled_in_at_startup()
    {
        var (support, accredited, partner) = await ProvidersAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(Api.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM partnerships.partner_providers");
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await support.PostAsJsonAsync("/support/partnerships", Body(accredited, partner))).StatusCode);

        await using var restarted = new RegisterFactory(Api.ConnectionString);
        var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = support.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/support/partnerships", Body(accredited, partner))).StatusCode);
    }

    [Fact]
    public async Task The_seed_import_upserts_by_pair_and_changes_nothing_the_second_time()
    {
        var support = await Api.SupportAsync();
        await support.CreateAsync(ProviderRequests.Scitt("5AA", "Accredited One"));
        await support.CreateAsync(ProviderRequests.School("2BB", "Partner School"));
        var directory = Directory.CreateTempSubdirectory("register-partnerships-").FullName;
        var path = Path.Combine(directory, "provider-partnerships.csv");
        await File.WriteAllLinesAsync(path,
        [
            "partnership__accredited_provider_name,partnership__accredited_provider_provider_code,partnership__training_partner_name,partnership__training_partner_provider_code,partnership__academic_year_code,partnership__academic_years_active,partnership__start_date,partnership__end_date",
            "Accredited One,5AA,Partner School,2BB,2025,\"2025,2024\",2019-08-01T00:00:00Z,",
            "Accredited One,5AA,Nowhere,ZZZ,2025,2025,2019-08-01T00:00:00Z,",
            "Accredited One,5AA,Partner School,2BB,2025,2025,2020-08-01T00:00:00Z,2019-07-31T00:00:00Z",
            "Accredited One,5AA,Partner School,2BB,2018,2018,2018-08-01T00:00:00Z,2019-07-31T00:00:00Z",
        ]);

        var first = await ImportAsync(path);
        var second = await ImportAsync(path);
        Directory.Delete(directory, recursive: true);

        Assert.Equal((4, 2, 0), (first.Rows, first.Created, first.Updated));
        Assert.Equal(
            ["partnerships line 3: training partner 'ZZZ' is not in the register", "partnerships line 4: The partnership end date must be the same as or after the date it started"],
            first.Failures);
        Assert.Equal((0, 0, 2), (second.Created, second.Updated, second.Unchanged));
        var partnerships = (await (await support.GetAsync($"/support/providers/{(await support.ItemsAsync()).First(i => i.Text("record_type") == "partnership").GetProperty("providers")[0].Id()}/partnerships")).BodyAsync()).GetProperty("data");
        Assert.Equal(["[2018]", "[2025,2024]"], partnerships.EnumerateArray().Select(p => p.GetProperty("academic_years").GetRawText()).Order());
    }

    [Fact]
    public async Task A_pair_listed_twice_with_overlapping_dates_is_one_partnership_and_a_second_import_changes_nothing()
    {
        var support = await Api.SupportAsync();
        await support.CreateAsync(ProviderRequests.Scitt("5AA", "Accredited One"));
        await support.CreateAsync(ProviderRequests.School("2BB", "Partner School"));
        var directory = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(directory, "provider-partnerships.csv");
        await File.WriteAllLinesAsync(path,
        [
            "partnership__accredited_provider_name,partnership__accredited_provider_provider_code,partnership__training_partner_name,partnership__training_partner_provider_code,partnership__academic_year_code,partnership__academic_years_active,partnership__start_date,partnership__end_date",
            "Accredited One,5AA,Partner School,2BB,2024,2024,2024-08-01T00:00:00Z,2025-07-31T00:00:00Z",
            "Accredited One,5aa,Partner School,2BB,2025,\"2025,2026\",2025-03-01T00:00:00Z,",
        ]);

        var first = await ImportAsync(path);
        var activityAfterFirst = (await support.ItemsAsync()).Count(i => i.Text("record_type") == "partnership");
        var second = await ImportAsync(path);
        var third = await ImportAsync(path);
        Directory.Delete(directory, recursive: true);

        Assert.Equal((2, 1, 0, 1), (first.Rows, first.Created, first.Updated, first.Unchanged));
        Assert.Equal((0, 0, 2), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal((0, 0, 2), (third.Created, third.Updated, third.Unchanged));
        Assert.Equal(activityAfterFirst, (await support.ItemsAsync()).Count(i => i.Text("record_type") == "partnership"));
        var partnership = (await (await support.GetAsync($"/support/providers/{(await support.ItemsAsync()).First(i => i.Text("record_type") == "partnership").GetProperty("providers")[0].Id()}/partnerships")).BodyAsync()).GetProperty("data").EnumerateArray().Single();
        Assert.Equal(("2024-08-01", "[2026,2025,2024]"), (partnership.Text("start_date"), partnership.GetProperty("academic_years").GetRawText()));
        Assert.Equal(JsonValueKind.Null, partnership.GetProperty("end_date").ValueKind);
    }

    private async Task<PartnershipImportReport> ImportAsync(string path)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ImportPartnershipSeedData(path));
    }
}
