using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;
using Register.TestKit;

namespace Register.Trainees.Tests;

/// <summary>
/// GET /trainees past <c>Lists:ExactUpTo</c> (ADR 27), in a process where it is 3: a longer list's total is counted once and
/// kept, and its pages start where this process saw them start (a seek), yet every page holds the rows OFFSET would give it,
/// in both directions, reached directly or by walking; filters and providers are lists of their own.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class LongTraineeListsTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private static readonly Dictionary<string, string?> Long = new() { ["Lists:ExactUpTo"] = "3", ["Lists:Freshness"] = "00:10:00" };

    private async Task<List<string>> CreateSeveralAsync(HttpClient srs, int count, string prefix)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await srs.PostAsync("/api/v2026.1/trainees", Data(TraineeRequests.Valid()
                .With("first_names", $"{prefix}{(char)('a' + i)}").With("email", $"{prefix}{i}@example.com")));
            ids.Add((await response.BodyAsync()).GetProperty("data").Text("trainee_id"));
        }

        return ids;
    }

    private static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    private static async Task<(List<string> Ids, string Meta)> PageAsync(HttpClient srs, string query)
    {
        var response = await srs.GetAsync($"/api/v2026.1/trainees?{query}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return ([], "");
        }

        var body = await response.BodyAsync();
        return (body.GetProperty("data").EnumerateArray().Select(t => t.Text("trainee_id")).ToList(), body.GetProperty("meta").GetRawText());
    }

    private static async Task<List<string>> WalkAsync(HttpClient srs, string query, int pages)
    {
        var all = new List<string>();
        for (var page = 1; page <= pages; page++)
        {
            all.AddRange((await PageAsync(srs, $"{query}&page={page}")).Ids);
        }

        return all;
    }

    [Fact]
    public async Task A_long_list_walks_in_both_directions_and_a_page_reached_directly_is_the_same()
    {
        var ids = await CreateSeveralAsync(Srs, 7, "Long");
        // Three share one updated_at: the id breaks the tie, in the list's direction.
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync(
                "UPDATE trainees.trainees SET updated_at = (SELECT updated_at FROM trainees.trainees WHERE slug = @slug) WHERE slug = ANY(@slugs)",
                new { slug = ids[2], slugs = ids[2..5].ToArray() });
        }

        var asc = (await PageAsync(Srs, "sort_order=asc&per_page=100")).Ids;
        var desc = (await PageAsync(Srs, "per_page=100")).Ids;
        Assert.Equal(Enumerable.Reverse(asc), desc);
        Assert.Equal(ids.Order(), asc.Order());

        await using var process = Api.NewProcess(settings: Long);
        var srs = process.WithToken(Token(Srs));
        var direct = await PageAsync(srs, "per_page=2&page=3");
        Assert.Equal(desc[4..6], direct.Ids);
        Assert.Equal("""{"current_page":3,"total_pages":4,"total_count":7,"per_page":2}""", direct.Meta);

        Assert.Equal(desc, await WalkAsync(srs, "per_page=2", 4));
        Assert.Equal(asc, await WalkAsync(srs, "per_page=2&sort_order=asc", 4));
        Assert.Equal(desc, await WalkAsync(srs, "per_page=2", 4));
        Assert.Equal(asc[4..6], (await PageAsync(srs, "per_page=2&sort_order=asc&page=3")).Ids);
        Assert.Equal(desc[3..6], (await PageAsync(srs, "per_page=3&page=2")).Ids);
        Assert.Equal([desc[6]], (await PageAsync(srs, "per_page=2&page=4")).Ids);
        Assert.Empty((await PageAsync(srs, "per_page=2&page=5")).Ids);
    }

    [Fact]
    public async Task A_long_lists_total_is_kept_and_a_short_lists_is_counted_each_time()
    {
        await CreateSeveralAsync(Srs, 4, "Kept");
        var otherSrs = await OtherProviderAsync();
        await CreateSeveralAsync(otherSrs, 2, "Short");
        await using var process = Api.NewProcess(settings: Long);
        var srs = process.WithToken(Token(Srs));
        var other = process.WithToken(Token(otherSrs));
        Assert.Equal("""{"current_page":1,"total_pages":2,"total_count":4,"per_page":2}""", (await PageAsync(srs, "per_page=2")).Meta);
        Assert.Equal("""{"current_page":1,"total_pages":1,"total_count":2,"per_page":2}""", (await PageAsync(other, "per_page=2")).Meta);

        await CreateSeveralAsync(Srs, 1, "Later");
        await CreateSeveralAsync(otherSrs, 1, "Later");

        // The long list's total is the one counted (for Lists:Freshness); the short list's is counted again, and so is the
        // long list's under another filter.
        Assert.Equal("""{"current_page":1,"total_pages":2,"total_count":4,"per_page":2}""", (await PageAsync(srs, "per_page=2")).Meta);
        Assert.Equal("""{"current_page":1,"total_pages":2,"total_count":3,"per_page":2}""", (await PageAsync(other, "per_page=2")).Meta);
        Assert.Equal("""{"current_page":1,"total_pages":3,"total_count":5,"per_page":2}""", (await PageAsync(srs, "per_page=2&sort_order=asc")).Meta);
    }

    [Fact]
    public async Task Filters_and_providers_are_lists_of_their_own()
    {
        var ids = await CreateSeveralAsync(Srs, 8, "Mine");
        var otherSrs = await OtherProviderAsync();
        var theirs = await CreateSeveralAsync(otherSrs, 5, "Theirs");
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE trainees.trainees SET state = 'withdrawn' WHERE slug = ANY(@slugs)", new { slugs = ids[..5].ToArray() });
        }

        await using var process = Api.NewProcess(settings: Long);
        var srs = process.WithToken(Token(Srs));
        var other = process.WithToken(Token(otherSrs));

        // Interleaved, page by page, so each list's remembered page starts sit beside the others'.
        var mine = new List<string>();
        var withdrawn = new List<string>();
        var others = new List<string>();
        var metas = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var a = await PageAsync(srs, $"per_page=2&sort_order=asc&page={page}");
            var b = await PageAsync(srs, $"per_page=2&sort_order=asc&status=withdrawn&page={page}");
            var c = await PageAsync(other, $"per_page=2&sort_order=asc&page={page}");
            mine.AddRange(a.Ids);
            withdrawn.AddRange(b.Ids);
            others.AddRange(c.Ids);
            metas.Add(page == 1 ? $"{a.Meta} {b.Meta} {c.Meta}" : "");
        }

        Assert.Equal(ids, mine);
        Assert.Equal(ids[..5], withdrawn);
        Assert.Equal(theirs, others);
        Assert.Equal(
            """{"current_page":1,"total_pages":4,"total_count":8,"per_page":2} {"current_page":1,"total_pages":3,"total_count":5,"per_page":2} {"current_page":1,"total_pages":3,"total_count":5,"per_page":2}""",
            metas[0]);
        Assert.Equal(ids[2..4], (await PageAsync(srs, "per_page=2&sort_order=asc&page=2")).Ids);
        Assert.Equal(theirs[2..4], (await PageAsync(other, "per_page=2&sort_order=asc&page=2")).Ids);
    }
}
