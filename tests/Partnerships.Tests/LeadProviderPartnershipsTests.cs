using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Register.TestKit;

namespace Register.Partnerships.Tests;

[Collection(PartnershipsCollection.Name)]
public sealed class LeadProviderPartnershipsTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private sealed record World(HttpClient Support, HttpClient A, HttpClient B, Guid LeadProviderA, Dictionary<string, Guid> Ids);

    private static readonly int ThisYear = DateTime.UtcNow.Month >= 6 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;

    private async Task<World> WorldAsync()
    {
        var support = await Api.SupportAsync();
        var ids = new Dictionary<string, Guid>();
        async Task<Guid> Post(string key, string path, object body)
        {
            var response = await support.PostAsJsonAsync(path, body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return ids[key] = (await response.BodyAsync()).GetProperty("data").TryGetProperty("id", out var id) ? id.GetGuid() : Guid.Empty;
        }

        foreach (var (year, enabled) in new[] { (ThisYear - 1, false), (ThisYear, true), (ThisYear + 2, true) })
        {
            await Post($"cohort{year}", "/support/cohorts", new { year, started_on = $"{year}-06-01", finished_on = $"{year + 1}-05-31", enabled });
        }

        var a = await Post("A", "/support/lead-providers", new { name = "Ambition Institute" });
        var b = await Post("B", "/support/lead-providers", new { name = "Teach First" });
        foreach (var dp in new[] { "x", "y", "z" })
        {
            await Post(dp, "/support/delivery-partners", new { name = $"Delivery partner {dp}" });
        }

        foreach (var (lp, dp, cohort) in new[] { (a, "x", ThisYear), (a, "y", ThisYear), (a, "x", ThisYear - 1), (a, "x", ThisYear + 2), (b, "z", ThisYear) })
        {
            await support.PostAsJsonAsync($"/support/lead-providers/{lp}/delivery-partner-contracts", new { delivery_partner_id = ids[dp], cohort });
        }

        await Post("open", "/support/schools", new { urn = "100001", name = "Open Primary", gias_status = "open", type_name = "Community school", induction_tutor_name = "Tess Tutor", induction_tutor_email = "tess@open.example" });
        await Post("closed", "/support/schools", new { urn = "100002", name = "Closed School", gias_status = "closed", type_name = "Community school", primary_contact_email = "office@closed.example" });
        await Post("schoolLed", "/support/schools", new { urn = "100003", name = "School Led Academy", gias_status = "open", type_name = "Academy converter" });
        await Post("other", "/support/schools", new { urn = "100004", name = "Other Primary", gias_status = "open", type_name = "Community school", primary_contact_email = "office@other.example" });
        await Post("ect", "/support/training-periods", new
        {
            role = "ect",
            school_id = ids["open"],
            cohort = ThisYear,
            training_programme = "provider_led",
            expression_of_interest_lead_provider_id = a,
            started_on = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
        });
        await Post("schoolLedEct", "/support/training-periods", new { role = "ect", school_id = ids["schoolLed"], cohort = ThisYear, training_programme = "school_led", started_on = "2025-09-01" });

        return new World(support, Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", a)),
            Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", b)), a, ids);
    }

    private static StringContent Body(object attributes) =>
        new(JsonSerializer.Serialize(new { data = new { type = "partnership", attributes } }), Encoding.UTF8, "application/json");

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return (await response.BodyAsync()).GetProperty("errors").EnumerateArray().Select(e => $"{e.Text("title")}: {e.Text("detail")}").ToList();
    }

    [Fact]
    public async Task A_partnership_is_confirmed_with_200_and_takes_in_the_waiting_participants()
    {
        var world = await WorldAsync();

        var response = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear.ToString(System.Globalization.CultureInfo.InvariantCulture), school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"], extra = "ignored" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.BodyAsync()).GetProperty("data");
        Assert.Equal("partnership", data.Text("type"));
        var attributes = data.GetProperty("attributes");
        Assert.Equal(["cohort", "urn", "school_id", "delivery_partner_id", "delivery_partner_name", "induction_tutor_name", "induction_tutor_email", "participants_currently_training", "created_at", "updated_at"],
            attributes.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, "Tess Tutor", "100001"), (attributes.GetProperty("participants_currently_training").GetInt32(), attributes.Text("induction_tutor_name"), attributes.Text("urn")));
        Snapshots.MatchJson(data.GetRawText(), "partnership", "id", "attributes.cohort", "attributes.school_id", "attributes.delivery_partner_id", "attributes.created_at", "attributes.updated_at");

        var listed = (await (await world.A.GetAsync("/api/v3/partnerships")).BodyAsync()).GetProperty("data");
        Assert.Equal(data.Text("id"), Assert.Single(listed.EnumerateArray()).Text("id"));
        Assert.Empty((await (await world.B.GetAsync("/api/v3/partnerships")).BodyAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await world.B.GetAsync($"/api/v3/partnerships/{data.Text("id")}")).StatusCode);
    }

    [Fact]
    public async Task Every_blank_attribute_gets_one_message()
    {
        var world = await WorldAsync();

        var errors = await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { unknown = 1 })));

        Assert.Equal(["cohort: Enter a '#/cohort'.", "school_id: Enter a '#/school_id'.", "delivery_partner_id: Enter a '#/delivery_partner_id'."], errors);
    }

    [Fact]
    public async Task The_reference_messages_accumulate_with_their_guards()
    {
        var world = await WorldAsync();
        var cohort = ThisYear;

        Assert.Equal(
            ["cohort: The '#/cohort' you have entered is invalid. Check cohort details and try again.",
             "delivery_partner_id: The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = 1999, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }))));
        Assert.Equal(["cohort: You cannot create a partnership for a future cohort."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = cohort + 2, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }))));
        Assert.Equal(["cohort: You cannot create this partnership as the cohort is closed."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = cohort - 1, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }))));
        Assert.Equal(["school_id: The '#/school_id' you have entered is invalid. Check school details and try again. Contact the DfE for support if you are unable to find the '#/school_id'.",
                      "delivery_partner_id: The '#/delivery_partner_id' you have entered is invalid. Check delivery partner details and try again."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort, school_id = Guid.NewGuid(), delivery_partner_id = "not-a-uuid" }))));
        Assert.Equal(["school_id: The school you have entered is currently ineligible for DfE funding. Contact the school for more information."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort, school_id = world.Ids["closed"], delivery_partner_id = world.Ids["x"] }))));
        Assert.Equal(["delivery_partner_id: The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort, school_id = world.Ids["open"], delivery_partner_id = world.Ids["z"] }))));
        Assert.Equal(["school_id: This school has only registered school-led participants. Contact the school for more information."],
            await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort, school_id = world.Ids["schoolLed"], delivery_partner_id = world.Ids["x"] }))));
    }

    [Fact]
    public async Task Twenty_identical_posts_at_once_make_exactly_one_partnership()
    {
        var world = await WorldAsync();
        var body = new { cohort = ThisYear, school_id = world.Ids["other"], delivery_partner_id = world.Ids["x"] };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.A.PostAsync("/api/v3/partnerships", Body(body))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(["school_id: You are already in a confirmed partnership with this school for the entered cohort."], await ErrorsAsync(refused));
        }

        var another = await world.A.PostAsync("/api/v3/partnerships", Body(body with { delivery_partner_id = world.Ids["y"] }));
        Assert.Equal(["school_id: You are already in a confirmed partnership with this school for the entered cohort."], await ErrorsAsync(another));
        Assert.Equal(HttpStatusCode.OK, (await world.B.PostAsync("/api/v3/partnerships", Body(body with { delivery_partner_id = world.Ids["z"] }))).StatusCode);
    }

    [Fact]
    public async Task Put_and_patch_change_the_delivery_partner_and_the_same_one_is_422()
    {
        var world = await WorldAsync();
        var created = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }));
        var id = (await created.BodyAsync()).GetProperty("data").Text("id");

        var put = await world.A.PutAsync($"/api/v3/partnerships/{id}", Body(new { delivery_partner_id = world.Ids["y"] }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Delivery partner y", (await put.BodyAsync()).GetProperty("data").GetProperty("attributes").Text("delivery_partner_name"));

        var same = await world.A.PatchAsync($"/api/v3/partnerships/{id}", Body(new { delivery_partner_id = world.Ids["y"] }));
        Assert.Equal(["delivery_partner_id: We are unable to process this request. You are already confirmed to be in partnership with the entered delivery partner. Contact the DfE for support."],
            await ErrorsAsync(same));
        Assert.Equal(["delivery_partner_id: Enter a '#/delivery_partner_id'."], await ErrorsAsync(await world.A.PutAsync($"/api/v3/partnerships/{id}", Body(new { delivery_partner_id = "" }))));

        Assert.Equal(["delivery_partner_id: The '#/delivery_partner_id' you have entered is invalid. Check delivery partner details and try again."],
            await ErrorsAsync(await world.A.PutAsync($"/api/v3/partnerships/{id}", Body(new { delivery_partner_id = Guid.NewGuid() }))));
        Assert.Equal(["delivery_partner_id: The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information."],
            await ErrorsAsync(await world.A.PutAsync($"/api/v3/partnerships/{id}", Body(new { delivery_partner_id = world.Ids["z"] }))));

        var malformed = await world.A.PutAsync($"/api/v3/partnerships/{id}", new StringContent("{\"data\":{}}", Encoding.UTF8, "application/json"));
        Assert.Equal("""{"errors":[{"title":"Bad request","detail":"Correct json data structure required. See API docs for reference."}]}""", await malformed.Content.ReadAsStringAsync());
        var othersBadBody = await world.B.PutAsync($"/api/v3/partnerships/{id}", new StringContent("not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, othersBadBody.StatusCode);
    }

    [Fact]
    public async Task In_sandbox_mode_a_request_can_travel_in_time()
    {
        var world = await WorldAsync();
        var future = new { cohort = ThisYear + 2, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] };
        var travelling = Body(future);
        travelling.Headers.Add("X-With-Server-Date", $"{ThisYear + 2}-07-01T09:00:00Z");

        Assert.Equal(["cohort: You cannot create a partnership for a future cohort."], await ErrorsAsync(await world.A.PostAsync("/api/v3/partnerships", travelling)));

        await using var sandbox = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Sandbox:Enabled"] = "true" });
        var client = sandbox.CreateClient();
        client.DefaultRequestHeaders.Authorization = world.A.DefaultRequestHeaders.Authorization;
        var inSandbox = Body(future);
        inSandbox.Headers.Add("X-With-Server-Date", $"{ThisYear + 2}-07-01T09:00:00Z");
        var created = await client.PostAsync("/api/v3/partnerships", inSandbox);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal($"{ThisYear + 2}-07-01T09:00:00Z", (await created.BodyAsync()).GetProperty("data").GetProperty("attributes").Text("created_at"));
        foreach (var value in new[] { "next tuesday", "1960-01-01T00:00:00Z", "9999-12-31T23:59:59Z" })
        {
            var bad = Body(future);
            bad.Headers.Add("X-With-Server-Date", value);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v3/partnerships", bad)).StatusCode);
        }
    }

    [Fact]
    public async Task Confirmed_partnerships_are_in_the_activity_log()
    {
        var world = await WorldAsync();

        var created = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }));
        await world.A.PutAsync($"/api/v3/partnerships/{(await created.BodyAsync()).GetProperty("data").Text("id")}", Body(new { delivery_partner_id = world.Ids["y"] }));

        var items = (await world.Support.ItemsAsync("/support/activity?record_type=school_partnership")).Select(i => (i.Text("headline"), i.GetProperty("actor").Text("type"))).ToList();
        Assert.Equal([("Partnership updated", "api_client"), ("Partnership added", "api_client")], items);
    }

    [Fact]
    public async Task Overnight_a_partnership_whose_participants_start_today_gets_a_new_updated_at()
    {
        var world = await WorldAsync();
        var created = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }));
        var before = (await created.BodyAsync()).GetProperty("data").GetProperty("attributes").Text("updated_at");
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).DateTime).AddDays(1);
        await world.Support.PostAsJsonAsync("/support/training-periods", new
        {
            role = "mentor",
            school_id = world.Ids["open"],
            cohort = ThisYear,
            training_programme = "provider_led",
            expression_of_interest_lead_provider_id = world.LeadProviderA,
            started_on = tomorrow,
        });

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new RegisterFactory(Api.ConnectionString, services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        factory.CreateClient().Dispose();
        await Task.Delay(1000); // background services start on the thread pool: let the job set its timer on the fake clock
        clock.Advance(Register.BuildingBlocks.Jobs.DailyJob.UntilNextRun(clock.GetUtcNow(), new TimeOnly(0, 1)) + TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string after;
        do
        {
            await Task.Delay(200);
            after = (await (await world.A.GetAsync("/api/v3/partnerships")).BodyAsync()).GetProperty("data")[0].GetProperty("attributes").Text("updated_at");
            if (after == before)
            {
                // If the job had not yet set its timer when the clock moved, move on to the next night.
                clock.Advance(TimeSpan.FromMinutes(1));
            }
        }
        while (after == before && DateTime.UtcNow < deadline);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Partnership_lists_filter_by_cohort_delivery_partner_and_updated_since()
    {
        var world = await WorldAsync();
        var first = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }));
        await Task.Delay(1100);
        var since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var second = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort = ThisYear, school_id = world.Ids["other"], delivery_partner_id = world.Ids["y"] }));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        async Task<List<string>> Urns(string query) =>
            (await (await world.A.GetAsync($"/api/v3/partnerships{query}")).BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("attributes").Text("urn")).ToList();

        Assert.Equal(["100001", "100004"], await Urns(""));
        Assert.Equal(["100004", "100001"], await Urns("?sort=-created_at"));
        Assert.Equal(["100004"], await Urns($"?filter[delivery_partner_id]={world.Ids["y"]},invalid"));
        Assert.Equal(["100004"], await Urns($"?filter[updated_since]={Uri.EscapeDataString(since)}"));
        Assert.Empty(await Urns($"?filter[cohort]={ThisYear - 1}"));
        Assert.Equal(["100001", "100004"], await Urns($"?filter[cohort]={ThisYear},invalid"));
        var bad = await world.A.GetAsync("/api/v3/partnerships?filter[updated_since]=invalid-date");
        Assert.Equal("""{"errors":[{"title":"Bad request","detail":"The filter '#/updated_since' must be a valid ISO 8601 date"}]}""", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await world.A.GetAsync($"/api/v3/partnerships/{(await first.BodyAsync()).GetProperty("data").Text("id")}?filter[cohort]=1999")).StatusCode);
    }

    [Fact]
    public async Task Review_regressions_hold()
    {
        var world = await WorldAsync();
        var cohort = ThisYear;

        // A school-led mentor alone is not a relevant participant: the choice is not yet known, and a POST is fine.
        await world.Support.PostAsJsonAsync("/support/training-periods", new { role = "mentor", school_id = world.Ids["other"], cohort, training_programme = "school_led", started_on = "2025-09-01" });
        var other = (await (await world.A.GetAsync($"/api/v3/schools/{world.Ids["other"]}?filter[cohort]={cohort}")).BodyAsync()).GetProperty("data").GetProperty("attributes");
        Assert.Equal("not_yet_known", other.Text("induction_programme_choice"));

        // A school-led participant cannot carry a lead provider.
        var eoiOnSchoolLed = await world.Support.PostAsJsonAsync("/support/training-periods",
            new { role = "ect", school_id = world.Ids["other"], cohort, training_programme = "school_led", expression_of_interest_lead_provider_id = world.LeadProviderA, started_on = "2025-09-01" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, eoiOnSchoolLed.StatusCode);

        // A participant joining a partnership during the day moves its updated_at.
        var created = await world.A.PostAsync("/api/v3/partnerships", Body(new { cohort, school_id = world.Ids["open"], delivery_partner_id = world.Ids["x"] }));
        var id = (await created.BodyAsync()).GetProperty("data").Text("id");
        await Task.Delay(1100);
        var since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await world.Support.PostAsJsonAsync("/support/training-periods",
            new { role = "mentor", school_id = world.Ids["open"], cohort, training_programme = "provider_led", expression_of_interest_lead_provider_id = world.LeadProviderA, started_on = "2025-09-01" });
        var changed = (await (await world.A.GetAsync($"/api/v3/partnerships?filter[updated_since]={since}")).BodyAsync()).GetProperty("data");
        Assert.Equal(2, Assert.Single(changed.EnumerateArray()).GetProperty("attributes").GetProperty("participants_currently_training").GetInt32());

        // "filter must be a hash" comes before the lookup, on every endpoint.
        Assert.Equal(HttpStatusCode.BadRequest, (await world.B.PutAsync($"/api/v3/partnerships/{id}?filter=abc", Body(new { delivery_partner_id = world.Ids["y"] }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.A.GetAsync($"/api/v3/partnerships/{id}?filter=abc")).StatusCode);

        // A URN taken by another school is a 422.
        var clash = await world.Support.PatchAsJsonAsync($"/support/schools/{world.Ids["other"]}", new { urn = "100001" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, clash.StatusCode);
    }

    [Fact]
    public async Task Schools_need_a_cohort_and_show_the_callers_own_expression_of_interest()
    {
        var world = await WorldAsync();
        var cohort = ThisYear;

        var missing = await world.A.GetAsync("/api/v3/schools");
        Assert.Equal("""{"errors":[{"title":"Bad parameter","detail":"The filter '#/cohort' must be included in your request"}]}""", await missing.Content.ReadAsStringAsync());

        var forA = (await (await world.A.GetAsync($"/api/v3/schools?filter[cohort]={cohort}")).BodyAsync()).GetProperty("data").EnumerateArray().ToDictionary(s => s.GetProperty("attributes").Text("urn"));
        var forB = (await (await world.B.GetAsync($"/api/v3/schools?filter[cohort]={cohort}")).BodyAsync()).GetProperty("data").EnumerateArray().ToDictionary(s => s.GetProperty("attributes").Text("urn"));

        Assert.Equal(["100001", "100003", "100004"], forA.Keys.Order());
        var open = forA["100001"].GetProperty("attributes");
        Assert.Equal((true, "provider_led", "Tess Tutor"), (open.GetProperty("expression_of_interest").GetBoolean(), open.Text("induction_programme_choice"), open.Text("induction_tutor_name")));
        var openForB = forB["100001"].GetProperty("attributes");
        Assert.Equal((false, JsonValueKind.Null), (openForB.GetProperty("expression_of_interest").GetBoolean(), openForB.GetProperty("induction_tutor_name").ValueKind));
        Assert.Equal("school_led", forA["100003"].GetProperty("attributes").Text("induction_programme_choice"));
        Assert.Equal("not_yet_known", forA["100004"].GetProperty("attributes").Text("induction_programme_choice"));
        Assert.Empty((await (await world.A.GetAsync("/api/v3/schools?filter[cohort]=invalid")).BodyAsync()).GetProperty("data").EnumerateArray());
        var byUrn = (await (await world.A.GetAsync($"/api/v3/schools?filter[cohort]={cohort}&filter[urn]=100004,invalid")).BodyAsync()).GetProperty("data");
        Assert.Equal(["100004"], byUrn.EnumerateArray().Select(s => s.GetProperty("attributes").Text("urn")));
        Assert.Empty((await (await world.A.GetAsync($"/api/v3/schools?filter[cohort]={cohort}&filter[updated_since]=2100-01-01")).BodyAsync()).GetProperty("data").EnumerateArray());
        Snapshots.MatchJson(forA["100001"].GetRawText(), "school", "id", "attributes.cohort", "attributes.created_at", "attributes.updated_at");
        Assert.Equal(HttpStatusCode.NotFound, (await world.A.GetAsync($"/api/v3/schools/{world.Ids["closed"]}?filter[cohort]={cohort}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.A.GetAsync($"/api/v3/schools/{world.Ids["open"]}?filter[cohort]={cohort}")).StatusCode);
    }
}
