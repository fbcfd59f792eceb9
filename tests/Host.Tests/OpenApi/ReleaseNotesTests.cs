using System.Net;
using Register.BuildingBlocks.Security;
using Register.TestKit;

namespace Register.Host.Tests.OpenApi;

/// <summary>The trainee API's release notes, served beside the API reference: an index and a page a version, as HTML and as written.</summary>
[Collection(HostCollection.Name)]
public sealed class ReleaseNotesTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    public static TheoryData<string> EachVersion() => new(ApiDefinition.TraineeApiVersions);

    [Theory]
    [MemberData(nameof(EachVersion))]
    public async Task Each_trainee_api_version_has_its_notes_as_a_page_and_as_markdown(string version)
    {
        var page = await Api.Anonymous().GetAsync($"/docs/release-notes/{version}");
        var markdown = await Api.Anonymous().GetAsync($"/docs/release-notes/{version}.md");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<h1", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{version} – Register trainee API release notes</title>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "release-notes", $"{version}.md")), await markdown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_index_links_every_version_s_page_and_each_link_works()
    {
        var response = await Api.Anonymous().GetAsync("/docs/release-notes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var version in ApiDefinition.TraineeApiVersions)
        {
            Assert.Contains($"href=\"/docs/release-notes/{version}\"", html, StringComparison.Ordinal);
        }

        foreach (var href in System.Text.RegularExpressions.Regex.Matches(html, "href=\"(/docs/release-notes[^\"]*)\"").Select(m => m.Groups[1].Value).Distinct())
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.Anonymous().GetAsync(href)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Api.Anonymous().GetAsync("/docs/release-notes.md")).StatusCode);
    }

    [Fact]
    public async Task A_version_with_no_notes_is_404()
    {
        var response = await Api.Anonymous().GetAsync("/docs/release-notes/v1999.0");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("v2026.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
