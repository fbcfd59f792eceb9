using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Register.TestKit;

namespace Register.Providers.Tests;

[Collection(ProvidersCollection.Name)]
public sealed class AccreditationTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture)
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime);

    [Theory]
    [InlineData("hei", "5123", "number: Enter a valid accredited provider number - it must be 4 digits starting with a 1, like 1234")]
    [InlineData("hei", "12345", "number: Enter a valid accredited provider number - it must be 4 digits starting with a 1, like 1234")]
    [InlineData("school", "1234", "number: Enter a valid accredited provider number - it must be 4 digits starting with a 5, like 5678")]
    [InlineData("other", "2345", "number: Enter a valid accredited provider number - it must be 4 digits starting with a 1 or a 5")]
    [InlineData("other", "", "number: Enter an accredited provider number")]
    public async Task Accreditation_numbers_follow_the_provider_type(string type, string number, string message)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(type == "school" ? ProviderRequests.School() : ProviderRequests.Hei().With("provider_type", type));

        var response = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/accreditations", new { number, start_date = "2024-08-01" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal([message], await response.MessagesAsync());
    }

    [Fact]
    public async Task Dates_are_required_and_the_end_is_not_before_the_start()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());

        var noStart = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/accreditations", new { number = "1234" });
        var backwards = await support.PostAsJsonAsync($"/support/providers/{provider.Id()}/accreditations", new { number = "1234", start_date = "2025-08-01", end_date = "2025-07-31" });

        Assert.Equal(["start_date: Enter accreditation start date"], await noStart.MessagesAsync());
        Assert.Equal(["end_date: The accreditation end date must be the same as or after 1 August 2025 when the accreditation starts"], await backwards.MessagesAsync());
    }

    [Fact]
    public async Task The_status_follows_the_accreditations_and_a_school_becomes_a_scitt_and_back()
    {
        var support = await Api.SupportAsync();
        var school = await support.CreateAsync(ProviderRequests.School());
        var id = school.Id();

        var added = await support.PostAsJsonAsync($"/support/providers/{id}/accreditations", new { number = "5111", start_date = Today.AddYears(-1) });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var accredited = await GetAsync(support, id);
        Assert.Equal(("scitt", "accredited"), (accredited.Text("provider_type"), accredited.Text("accreditation_status")));
        Assert.True(accredited.GetProperty("updated_at").GetDateTimeOffset() > school.GetProperty("updated_at").GetDateTimeOffset());

        var accreditationId = (await added.BodyAsync()).GetProperty("data").Id();
        var ended = await support.PatchAsJsonAsync($"/support/providers/{id}/accreditations/{accreditationId}", new { end_date = Today.AddDays(-1) });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var lapsed = await GetAsync(support, id);
        Assert.Equal(("school", "unaccredited"), (lapsed.Text("provider_type"), lapsed.Text("accreditation_status")));

        await support.PatchAsJsonAsync($"/support/providers/{id}/accreditations/{accreditationId}", new { open_ended = true });
        var reopened = await GetAsync(support, id);
        Assert.Equal(("scitt", "accredited"), (reopened.Text("provider_type"), reopened.Text("accreditation_status")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reopened.GetProperty("accreditations")[0].GetProperty("end_date").ValueKind);

        var activity = (await support.ItemsAsync())
            .Where(i => i.Text("record_type") == "provider" && i.Text("action") == "updated").ToList();
        Assert.Equal(3, activity.Count);
        Assert.All(activity, i => Assert.Equal("system", i.GetProperty("actor").Text("type")));
    }

    [Fact]
    public async Task An_hei_only_changes_status_and_a_future_accreditation_does_not_count_yet()
    {
        var support = await Api.SupportAsync();
        var hei = await support.CreateAsync(ProviderRequests.Hei());

        await support.PostAsJsonAsync($"/support/providers/{hei.Id()}/accreditations", new { number = "1999", start_date = Today.AddDays(10) });
        Assert.Equal("unaccredited", (await GetAsync(support, hei.Id())).Text("accreditation_status"));

        var current = await support.PostAsJsonAsync($"/support/providers/{hei.Id()}/accreditations", new { number = "1998", start_date = Today });
        var accredited = await GetAsync(support, hei.Id());
        Assert.Equal(("hei", "accredited"), (accredited.Text("provider_type"), accredited.Text("accreditation_status")));

        await support.DeleteAsync($"/support/providers/{hei.Id()}/accreditations/{(await current.BodyAsync()).GetProperty("data").Id()}");
        Assert.Equal("unaccredited", (await GetAsync(support, hei.Id())).Text("accreditation_status"));
        Assert.Single((await GetAsync(support, hei.Id())).GetProperty("accreditations").EnumerateArray());
    }

    [Fact]
    public async Task The_daily_job_unaccredits_a_scitt_whose_accreditation_ended_yesterday()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        await using var factory = new RegisterFactory(Api.ConnectionString, services: s => s.AddSingleton<TimeProvider>(clock));
        var support = factory.CreateClient();
        support.DefaultRequestHeaders.Authorization = (await Api.SupportAsync()).DefaultRequestHeaders.Authorization;
        var scitt = await support.CreateAsync(ProviderRequests.Scitt()
            .With("accreditation", new { number = "5123", start_date = "2024-08-01", end_date = "2026-03-28" }));
        Assert.Equal("accredited", (await GetAsync(support, scitt.Id())).Text("accreditation_status"));

        // Past midnight the accreditation has ended, but nothing has run yet; at 02:00 (London, now BST) the job runs.
        await Task.Delay(2000); // background services start on the thread pool: let the job set its timer on the fake clock
        clock.Advance(TimeSpan.FromHours(12.5));
        Assert.Equal("accredited", (await GetAsync(support, scitt.Id())).Text("accreditation_status"));
        clock.Advance(TimeSpan.FromHours(1));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await GetAsync(support, scitt.Id())).Text("accreditation_status") != "unaccredited")
        {
            Assert.True(DateTime.UtcNow < deadline, "The daily job did not run.");
            await Task.Delay(50);
        }

        var synced = await GetAsync(support, scitt.Id());
        Assert.Equal("school", synced.Text("provider_type"));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), synced.GetProperty("updated_at").GetDateTimeOffset());
    }

    private static async Task<System.Text.Json.JsonElement> GetAsync(HttpClient support, Guid id) =>
        (await (await support.GetAsync($"/support/providers/{id}")).BodyAsync()).GetProperty("data");
}
