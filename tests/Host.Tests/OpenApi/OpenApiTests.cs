using System.Net;
using System.Text.Json;
using Register.TestKit;

namespace Register.Host.Tests.OpenApi;

[Collection(HostCollection.Name)]
public sealed class OpenApiTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Theory]
    [InlineData("support")]
    [InlineData("providers-v0")]
    [InlineData("providers-v1")]
    [InlineData("lead-provider-v3")]
    [InlineData("trainees-v2025.0")]
    [InlineData("trainees-v2026.0")]
    [InlineData("trainees-v2026.1")]
    public async Task Each_api_has_its_own_generated_document(string name)
    {
        var response = await Api.Anonymous().GetAsync($"/openapi/{name}.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal("bearer", JsonDocument.Parse(json).RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Snapshots.MatchJson(json, name);
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        var response = await Api.Anonymous().GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Register API reference", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
