using System.Net;
using System.Net.Http.Json;
using Register.BuildingBlocks.Contracts;
using Register.TestKit;

namespace Register.ActivityLog.Tests;

[Collection(ActivityLogCollection.Name)]
public sealed class TimelineTests(ActivityLogFixture fixture) : ApiTest<ActivityLogFixture>(fixture)
{
    [Fact]
    public async Task Every_tracked_change_has_its_headline()
    {
        var support = await Api.SupportAsync("Jane Smith");
        var provider = await support.CreateAsync(ProviderRequests.Scitt());
        var id = provider.Id();
        var address = provider.GetProperty("addresses")[0].Id();
        var accreditation = provider.GetProperty("accreditations")[0].Id();
        await support.PatchAsJsonAsync($"/support/providers/{id}", new { operating_name = "Renamed SCITT" });
        await support.PatchAsJsonAsync($"/support/providers/{id}/addresses/{address}", new { town_or_city = "Wakefield" });
        await support.PatchAsJsonAsync($"/support/providers/{id}/accreditations/{accreditation}", new { number = "5999" });
        var contact = await support.PostAsJsonAsync($"/support/providers/{id}/contacts", new { first_name = "A", last_name = "B", email = "ab@example.com" });
        await support.DeleteAsync(contact.Headers.Location);
        await support.DeleteAsync($"/support/providers/{id}/addresses/{address}");
        await support.PostAsync($"/support/providers/{id}/archive", null);
        await support.PostAsync($"/support/providers/{id}/restore", null);
        await support.DeleteAsync($"/support/providers/{id}");
        var client = await support.PostAsJsonAsync("/support/api-clients", new { name = "Reader", audience = "providers_api" });
        await support.PostAsync($"{client.Headers.Location}/revoke", null);

        var headlines = (await support.ItemsAsync()).Select(i => i.Text("headline")).ToList();

        Assert.Equal(
        [
            "API client revoked", "API client added", "Provider deleted", "Provider restored", "Provider archived", "Provider address deleted",
            "Provider contact deleted", "Provider contact added", "Provider accreditation updated", "Provider address updated", "Provider updated",
            "Provider address added", "Provider accreditation added", "Provider added", "API client added",
        ], headlines);
    }

    [Fact]
    public async Task Items_are_grouped_by_london_day_with_bylines_across_midnight_and_the_clock_change()
    {
        // 28 March 2026 is a GMT day; BST starts at 01:00 UTC on 29 March.
        var at = new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero);
        foreach (var (time, name) in new[] { (at, "late on Saturday"), (at.AddHours(1), "after midnight"), (at.AddHours(2), "after the clocks went forward") })
        {
            await Api.DeliverAsync(Change("provider", Guid.NewGuid(), "updated", name, time));
        }

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero));
        await using var factory = new RegisterFactory(Api.ConnectionString, services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        var support = factory.CreateClient();
        support.DefaultRequestHeaders.Authorization = (await Api.SupportAsync()).DefaultRequestHeaders.Authorization;

        var days = (await (await support.GetAsync("/support/activity?record_type=provider")).BodyAsync()).GetProperty("data");

        Assert.Equal(["Today", "Yesterday"], days.EnumerateArray().Select(d => d.Text("heading")));
        Assert.Equal(["2026-03-29", "2026-03-28"], days.EnumerateArray().Select(d => d.Text("date")));
        Assert.Equal(
            ["By after the clocks went forward on 29 March 2026 at 2:30am", "By after midnight on 29 March 2026 at 12:30am"],
            days[0].GetProperty("items").EnumerateArray().Select(i => i.Text("byline")));
        Assert.Equal(["By late on Saturday on 28 March 2026 at 11:30pm"], days[1].GetProperty("items").EnumerateArray().Select(i => i.Text("byline")));

        clock.Advance(TimeSpan.FromDays(3));
        var later = (await (await support.GetAsync("/support/activity?record_type=provider")).BodyAsync()).GetProperty("data");
        Assert.Equal(["29 March 2026", "28 March 2026"], later.EnumerateArray().Select(d => d.Text("heading")));
    }

    [Fact]
    public async Task A_provider_timeline_has_its_parts_and_both_sides_of_a_partnership_but_nothing_else()
    {
        var support = await Api.SupportAsync();
        var accredited = await support.CreateAsync(ProviderRequests.Scitt());
        var partner = await support.CreateAsync(ProviderRequests.School());
        var unrelated = await support.CreateAsync(ProviderRequests.Hei());
        await support.PostAsJsonAsync($"/support/providers/{partner.Id()}/contacts", new { first_name = "A", last_name = "B", email = "ab@example.com" });
        await Api.DeliverAsync(Change("partnership", Guid.NewGuid(), "created", "Jane Smith", DateTimeOffset.UtcNow, accredited.Id(), partner.Id()));

        var accreditedItems = await support.ItemsAsync($"/support/providers/{accredited.Id()}/activity");
        var partnerItems = await support.ItemsAsync($"/support/providers/{partner.Id()}/activity");
        var unrelatedItems = await support.ItemsAsync($"/support/providers/{unrelated.Id()}/activity");

        Assert.Equal(["Provider partnership added", "Provider address added", "Provider accreditation added", "Provider added"], accreditedItems.Select(i => i.Text("headline")));
        Assert.Equal(["Provider partnership added", "Provider contact added", "Provider added"], partnerItems.Select(i => i.Text("headline")));
        Assert.Equal(["Provider added"], unrelatedItems.Select(i => i.Text("headline")));
        Assert.Equal(
            new[] { ("North Teaching Alliance SCITT", accredited.Id()), ("Oak Primary School", partner.Id()) }.OrderBy(p => p.Item2),
            partnerItems[0].GetProperty("providers").EnumerateArray().Select(p => (p.Text("name"), p.Id())).OrderBy(p => p.Item2));
        Assert.Empty(await support.ItemsAsync($"/support/providers/{Guid.NewGuid()}/activity"));
    }

    [Fact]
    public async Task A_trainee_timeline_has_that_trainee_only_found_by_its_trainee_id()
    {
        var support = await Api.SupportAsync();
        var provider = (await support.CreateAsync(ProviderRequests.Hei("1TT", "University of Timelines"))).Id();
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider, "Acme SRS"));
        async Task<string> TraineeAsync(string lastName)
        {
            var created = await srs.PostAsJsonAsync("/api/v2026.1/trainees", new { data = TraineeRequests.Valid(TraineeRequests.CurrentCycle).With("last_name", lastName) });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (await created.BodyAsync()).GetProperty("data").Text("trainee_id");
        }

        var trainee = await TraineeAsync("Doe");
        var other = await TraineeAsync("Other");
        await srs.PatchAsJsonAsync($"/api/v2026.1/trainees/{trainee}", new { data = new { first_names = "Jonathan" } });

        var items = await support.ItemsAsync($"/support/trainees/{trainee}/activity");
        var unknown = await support.GetAsync($"/support/trainees/{Guid.NewGuid()}/activity");

        Assert.Equal(["Trainee updated", "Trainee degree added", "Trainee added"], items.Select(i => i.Text("headline")));
        Assert.Single(items.Select(i => i.Text("record_id")).Distinct());
        Assert.DoesNotContain(items[0].Text("record_id"), (await support.ItemsAsync($"/support/trainees/{other}/activity")).Select(i => i.Text("record_id")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Pages_of_25_walk_by_number_or_by_cursor_and_agree()
    {
        var support = await Api.SupportAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        for (var i = 0; i < 60; i++)
        {
            await Api.DeliverAsync(Change("trainee", Guid.NewGuid(), "created", $"Client {i}", start.AddMinutes(i)));
        }

        var byNumber = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            byNumber.AddRange((await support.ItemsAsync($"/support/activity?record_type=trainee&page={page}")).Select(i => i.Text("id")));
        }

        var byCursor = new List<string>();
        string? cursor = null;
        do
        {
            var body = await (await support.GetAsync($"/support/activity?record_type=trainee{(cursor is null ? "" : $"&cursor={cursor}")}")).BodyAsync();
            byCursor.AddRange(body.GetProperty("data").EnumerateArray().SelectMany(d => d.GetProperty("items").EnumerateArray()).Select(i => i.Text("id")));
            cursor = body.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(60, byNumber.Count);
        Assert.Equal(byNumber, byCursor);
        var first = await (await support.GetAsync("/support/activity?record_type=trainee")).BodyAsync();
        Assert.Equal(
            """{"page":1,"per_page":25,"total_count":60,"total_pages":3,"next_cursor":"""
            + $"\"{first.GetProperty("pagination").GetProperty("next_cursor").GetString()}\"}}",
            first.GetProperty("pagination").GetRawText());
        Assert.Empty(await support.ItemsAsync("/support/activity?record_type=trainee&page=4"));
    }

    [Fact]
    public async Task A_long_timeline_keeps_its_total_and_its_pages_agree_with_the_cursor()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < 60; i++)
        {
            await Api.DeliverAsync(Change("placement", Guid.NewGuid(), "created", $"Client {i}", start.AddMinutes(i)));
        }

        // Past Lists:ExactUpTo (3 here) the total is counted once and kept, and a page starts where this process saw it start.
        await using var process = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Lists:ExactUpTo"] = "3", ["Lists:Freshness"] = "00:10:00" });
        var support = await process.SupportAsync();
        var direct = (await support.ItemsAsync("/support/activity?record_type=placement&page=3")).Select(i => i.Text("id")).ToList();
        var walked = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            walked.AddRange((await support.ItemsAsync($"/support/activity?record_type=placement&page={page}")).Select(i => i.Text("id")));
        }

        var byCursor = new List<string>();
        string? cursor = null;
        do
        {
            var body = await (await support.GetAsync($"/support/activity?record_type=placement{(cursor is null ? "" : $"&cursor={cursor}")}")).BodyAsync();
            byCursor.AddRange(body.GetProperty("data").EnumerateArray().SelectMany(d => d.GetProperty("items").EnumerateArray()).Select(i => i.Text("id")));
            cursor = body.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(60, walked.Count);
        Assert.Equal(byCursor, walked);
        Assert.Equal(walked[50..], direct);
        Assert.Equal(walked[25..50], (await support.ItemsAsync("/support/activity?record_type=placement&page=2")).Select(i => i.Text("id")));

        await Api.DeliverAsync(Change("placement", Guid.NewGuid(), "created", "Client late", start.AddMinutes(-1)));
        var kept = await (await support.GetAsync("/support/activity?record_type=placement")).BodyAsync();
        var other = await (await support.GetAsync("/support/activity?record_type=placement,degree")).BodyAsync();
        Assert.Equal(60, kept.GetProperty("pagination").GetProperty("total_count").GetInt32());
        Assert.Equal(61, other.GetProperty("pagination").GetProperty("total_count").GetInt32());
    }

    [Theory]
    [InlineData("from=yesterday", "from and to must be dates in the format YYYY-MM-DD, between 1900 and 2100")]
    [InlineData("to=9999-12-31", "from and to must be dates in the format YYYY-MM-DD, between 1900 and 2100")]
    [InlineData("page=100000000", "page must be a whole number from 1 to 1000000")]
    [InlineData("from=2026-02-02&to=2026-02-01", "from must be on or before to")]
    [InlineData("cursor=not-a-cursor", "cursor is not one this API gave out: use the next_cursor of a previous page")]
    [InlineData("page=0", "page must be a whole number from 1 to 1000000")]
    public async Task Bad_parameters_are_400(string query, string message)
    {
        var support = await Api.SupportAsync();

        var response = await support.GetAsync($"/support/activity?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.BodyAsync()).GetProperty("errors")[0].Text("message"));
    }

    [Fact]
    public async Task Filters_by_record_type_and_london_days()
    {
        var support = await Api.SupportAsync();
        await Api.DeliverAsync(Change("trainee", Guid.NewGuid(), "created", "Early", new DateTimeOffset(2026, 6, 30, 22, 59, 0, TimeSpan.Zero)));
        await Api.DeliverAsync(Change("trainee", Guid.NewGuid(), "created", "Midnight BST", new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.Zero)));
        await Api.DeliverAsync(Change("placement", Guid.NewGuid(), "created", "Other type", new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero)));

        var july = await support.ItemsAsync("/support/activity?from=2026-07-01&to=2026-07-01");
        var julyTrainees = await support.ItemsAsync("/support/activity?from=2026-07-01&to=2026-07-01&record_type=trainee");
        var june = await support.ItemsAsync("/support/activity?to=2026-06-30&record_type=trainee,placement");

        Assert.Equal(["Other type", "Midnight BST"], july.Select(i => i.GetProperty("actor").Text("name")));
        Assert.Equal(["Midnight BST"], julyTrainees.Select(i => i.GetProperty("actor").Text("name")));
        Assert.Equal(["Early"], june.Select(i => i.GetProperty("actor").Text("name")));
    }

    [Fact]
    public async Task The_log_is_append_only_over_http()
    {
        var support = await Api.SupportAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await support.DeleteAsync("/support/activity")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await support.PostAsJsonAsync("/support/activity", new { })).StatusCode);
    }

    [Fact]
    public async Task A_timeline_page_has_a_stable_shape()
    {
        var support = await Api.SupportAsync("Jane Smith");
        await support.CreateAsync(ProviderRequests.Hei());

        var response = await support.GetAsync("/support/activity?record_type=provider");

        await Snapshots.MatchJsonAsync(response, "data[*].date", "data[*].items[*].id", "data[*].items[*].occurred_at", "data[*].items[*].record_id",
            "data[*].items[*].byline", "data[*].items[*].actor.id", "data[*].items[*].providers[*].id", "data[*].items[*].changes[*].new_value");
    }

    private static OtherModuleChange Change(string type, Guid id, string action, string actor, DateTimeOffset at, params Guid[] providers) =>
        new(Guid.NewGuid(), at, type, id, action, new Actor("api_client", Guid.NewGuid(), actor), [new FieldChange("status", null, action)], providers);
}
