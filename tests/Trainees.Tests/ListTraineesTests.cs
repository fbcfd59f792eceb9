using System.Net;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>GET /trainees (spec §3): one cycle, filters, order, pagination and its meta, and the 404 of an empty list.</summary>
[Collection(TraineesCollection.Name)]
public sealed class ListTraineesTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private async Task<List<string>> CreateSeveralAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", $"Trainee{(char)('a' + i)}").With("email", $"t{i}@example.com"))).Text("trainee_id"));
        }

        return ids;
    }

    private static List<string> Ids(System.Text.Json.JsonElement body) =>
        body.GetProperty("data").EnumerateArray().Select(t => t.Text("trainee_id")).ToList();

    [Fact]
    public async Task An_empty_list_is_404_no_trainees_found()
    {
        var response = await Srs.GetAsync("/api/v2026.1/trainees");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"No trainees found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Trainees_come_newest_change_first_by_default_and_oldest_first_when_asked()
    {
        var ids = await CreateSeveralAsync(3);

        var desc = await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync();
        var asc = await (await Srs.GetAsync("/api/v2026.1/trainees?sort_order=asc")).BodyAsync();

        Assert.Equal(Enumerable.Reverse(ids), Ids(desc));
        Assert.Equal(ids, Ids(asc));
    }

    [Fact]
    public async Task Pages_have_meta_with_the_total()
    {
        var ids = await CreateSeveralAsync(5);

        var page2 = await (await Srs.GetAsync("/api/v2026.1/trainees?per_page=2&page=2&sort_order=asc")).BodyAsync();
        var beyond = await Srs.GetAsync("/api/v2026.1/trainees?per_page=2&page=4");

        Assert.Equal(ids[2..4], Ids(page2));
        Assert.Equal("""{"current_page":2,"total_pages":3,"total_count":5,"per_page":2}""", page2.GetProperty("meta").GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    [Fact]
    public async Task Only_the_current_cycle_is_listed_unless_another_is_asked_for()
    {
        await CreateTraineeAsync();
        var last = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Last").With("email", "last@example.com")
            .With("itt_start_date", "2025-09-01").With("itt_end_date", "2026-07-31"));

        var current = await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync();
        var previous = await (await Srs.GetAsync("/api/v2026.1/trainees?academic_cycle=2025")).BodyAsync();

        Assert.Equal(1, current.GetProperty("meta").GetProperty("total_count").GetInt32());
        Assert.Equal([last.Text("trainee_id")], Ids(previous));
    }

    [Fact]
    public async Task Since_is_updated_at_or_after_to_the_millisecond()
    {
        await CreateTraineeAsync();
        var cut = Api.Clock.GetUtcNow();
        var later = await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", "Later").With("email", "later@example.com"));

        var sinceCut = await (await Srs.GetAsync($"/api/v2026.1/trainees?since={Uri.EscapeDataString(cut.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))}")).BodyAsync();
        var sinceDay = await (await Srs.GetAsync("/api/v2026.1/trainees?since=2026-09-15")).BodyAsync();
        var sinceTomorrow = await Srs.GetAsync("/api/v2026.1/trainees?since=2026-09-16");

        Assert.Equal([later.Text("trainee_id")], Ids(sinceCut));
        Assert.Equal(2, Ids(sinceDay).Count);
        Assert.Equal(HttpStatusCode.NotFound, sinceTomorrow.StatusCode);
    }

    [Fact]
    public async Task Status_and_has_trn_filter_the_list()
    {
        var ids = await CreateSeveralAsync(3);
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE trainees.trainees SET state = 'withdrawn' WHERE slug = @slug", new { slug = ids[0] });
            await connection.ExecuteAsync("UPDATE trainees.trainees SET state = 'trn_received', trn = '1234567' WHERE slug = @slug", new { slug = ids[1] });
            await connection.ExecuteAsync("UPDATE trainees.trainees SET itt_start_date = '2026-10-01' WHERE slug = @slug", new { slug = ids[2] });
        }

        async Task<List<string>> Filtered(string query) => Ids(await (await Srs.GetAsync($"/api/v2026.1/trainees?sort_order=asc&{query}")).BodyAsync());

        Assert.Equal([ids[0]], await Filtered("status=withdrawn"));
        Assert.Equal([ids[1]], await Filtered("status=in_training"));
        Assert.Equal([ids[2]], await Filtered("status=course_not_yet_started"));
        Assert.Equal([ids[0], ids[1]], await Filtered("status[]=withdrawn&status[]=in_training"));
        Assert.Equal([ids[1]], await Filtered("has_trn=true"));
        Assert.Equal([ids[0], ids[2]], await Filtered("has_trn=false"));
        Assert.Equal(ids, await Filtered("has_trn="));
    }

    [Theory]
    [InlineData("status=busy", "status", "busy is not a valid status")]
    [InlineData("since=2023-13-01", "since", "2023-13-01 is not a valid date")]
    [InlineData("academic_cycle=not-a-number", "academic_cycle", "not-a-number is not a valid academic cycle year")]
    [InlineData("sort_order=sideways", "sort_order", "is not included in the list")]
    public async Task A_bad_filter_is_422_naming_it(string query, string field, string message)
    {
        var response = await Srs.GetAsync($"/api/v2026.1/trainees?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            $$$"""{"message":"Validation failed: 1 error prohibited this request being run","errors":{"{{{field}}}":["{{{message}}}"]}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_bad_statuses_are_two_errors()
    {
        var response = await Srs.GetAsync("/api/v2026.1/trainees?status[]=busy&status[]=lazy");

        Assert.Equal(
            """{"message":"Validation failed: 2 errors prohibited this request being run","errors":{"status":["busy is not a valid status","lazy is not a valid status"]}}""",
            await response.Content.ReadAsStringAsync());
    }
}
