using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Register.TestKit;

namespace Register.Host.Tests.Http;

[Collection(HostCollection.Name)]
public sealed class HttpBasicsTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Theory]
    [InlineData("{\"name\": \"x\", ", "The request body is not valid JSON (line 1, position 15)")]
    [InlineData("not json at all", "The request body is not valid JSON (line 1, position 2)")]
    [InlineData("{\"name\": 42, \"audience\": \"support\"}", "name must be a string", 400, "name")]
    [InlineData("{\"name\": \"x\", \"audience\": \"support\", \"expires_on\": \"tomorrow\"}", "expires_on must be a date in the format YYYY-MM-DD", 400, "expires_on")]
    [InlineData("{\"name\": \"x\", \"audience\": \"trainees_api\", \"organisation_id\": \"not-a-uuid\"}", "organisation_id must be a UUID", 400, "organisation_id")]
    [InlineData("[1, 2, 3]", "The request body must be a JSON object")]
    [InlineData("{\"name\": \"a\\u0000b\", \"audience\": \"support\"}", "name must not contain control characters", 422, "name")]
    public async Task Malformed_json_is_400_with_a_clear_message(string body, string message, int status = 400, string? field = null)
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsync("/support/api-clients", Json.Raw(body));

        Assert.Equal(status, (int)response.StatusCode);
        var error = status == 400 ? "BadRequest" : "UnprocessableEntity";
        var fieldJson = field is null ? "" : $$$"""
            "field":"{{{field}}}",
            """.Trim();
        Assert.Equal($$$"""{"errors":[{"error":"{{{error}}}",{{{fieldJson}}}"message":"{{{message}}}"}]}""", await response.Content.ReadAsStringAsync());
        await AssertNothingWasCreatedAsync(support);
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsync("/support/api-clients", Json.Raw(""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"BadRequest","message":"A JSON request body is required"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var support = await Api.SupportAsync();

        var response = await support.PostAsync("/support/api-clients", Json.Raw("name=x", "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"UnsupportedMediaType","message":"The request body must be JSON, sent with the header Content-Type: application/json"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/vnd.api+json")]
    [InlineData("text/plain")]
    public async Task A_json_endpoint_refuses_a_body_without_the_json_content_type(string? contentType)
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));
        var body = """{"data":{"first_names":"Jo"}}""";

        foreach (var (client, path) in new[] { (support, "/support/api-clients"), (srs, "/api/v2026.1/trainees") })
        {
            var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }

            var response = await client.PostAsync(path, content);

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Equal("""{"errors":[{"error":"UnsupportedMediaType","message":"The request body must be JSON, sent with the header Content-Type: application/json"}]}""",
                await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_csv_upload_asks_for_a_csv_file_when_sent_something_else()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));

        var response = await srs.PostAsync("/api/v2026.1/trainee-uploads", Json.Raw("first_names=Jo", "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.DoesNotContain("JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("CSV", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_api_answer_is_not_stored_nor_sniffed_while_assets_keep_their_caching()
    {
        var support = await Api.SupportAsync();
        var provider = await support.CreateAsync(ProviderRequests.Hei());
        var srs = Api.WithToken(await Api.CreateTokenAsync(support, "trainees_api", provider.Id()));

        foreach (var response in new[]
        {
            await support.GetAsync("/support/providers"), await srs.GetAsync("/api/v2026.1/trainees"), await Api.Anonymous().GetAsync("/api/v0/providers"),
            await support.GetAsync("/support/nowhere"), await Api.Anonymous().GetAsync("/health/ready"),
        })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri}: {response.Headers.CacheControl}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.False(response.Headers.Contains("Server"));
        }

        var asset = await Api.Anonymous().GetAsync("/assets/govuk-frontend.min.css");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.False(asset.Headers.CacheControl?.NoStore ?? false);
        Assert.Equal("nosniff", asset.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Kestrel_does_not_announce_itself()
    {
        var kestrel = Api.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value;

        Assert.False(kestrel.AddServerHeader);
    }

    [Fact]
    public async Task With_https_required_plain_http_is_redirected_and_https_answers_carry_hsts()
    {
        await using var https = new RegisterFactory(Api.ConnectionString, new Dictionary<string, string?> { ["Http:RequireHttps"] = "true" });

        var plain = https.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://register.example"), AllowAutoRedirect = false });
        var secure = https.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://register.example"), AllowAutoRedirect = false });
        var redirected = await plain.GetAsync("/health/live");
        var answered = await secure.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://register.example/health/live", redirected.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", answered.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await Api.Anonymous().GetAsync("/health/live")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var support = await Api.SupportAsync();
        var huge = "{\"name\":\"" + new string('a', 1024 * 1024 + 10) + "\",\"audience\":\"support\"}";

        var response = await support.PostAsync("/support/api-clients", Json.Raw(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"PayloadTooLarge","message":"The request body is too large: the limit is 1048576 bytes"}]}""",
            await response.Content.ReadAsStringAsync());
        await AssertNothingWasCreatedAsync(support);
    }

    [Fact]
    public async Task A_wrong_method_is_405_in_the_error_envelope()
    {
        var support = await Api.SupportAsync();

        var response = await support.PutAsync("/support/api-clients", Json.Raw("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"MethodNotAllowed","message":"Method Not Allowed"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_path_outside_every_api_is_404_in_the_error_envelope()
    {
        var response = await Api.Anonymous().GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Not Found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_answer_carries_a_request_id_and_a_callers_own_is_kept()
    {
        var client = Api.Anonymous();
        client.DefaultRequestHeaders.Add("X-Request-Id", "vendor-trace-123");

        var mine = await client.GetAsync("/health/live");
        var generated = await Api.Anonymous().GetAsync("/health/live");

        Assert.Equal("vendor-trace-123", mine.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches("^[0-9a-f]{32}$", generated.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Health_checks_report_live_and_ready()
    {
        var live = await Api.Anonymous().GetAsync("/health/live");
        var ready = await Api.Anonymous().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"healthy","checks":{}}""", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await Snapshots.MatchJsonAsync(ready);
    }

    private static async Task AssertNothingWasCreatedAsync(HttpClient support)
    {
        var list = await (await support.GetAsync("/support/api-clients")).BodyAsync();
        Assert.Equal(1, list.GetProperty("pagination").GetProperty("total_count").GetInt32()); // the support client itself
    }
}
