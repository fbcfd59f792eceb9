using System.Net;
using System.Text;
using CsCheck;
using Register.TestKit;

namespace Register.Host.Tests.Fuzz;

/// <summary>
/// Random bodies, well-formed or not, never reach a 500 and never leave a half-written record: every answer
/// is a success or a 4xx in the error envelope.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BadInputFuzzTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e309", "12.5", "\"\"", "\" \"", "\"support\"", "\"providers_api\"", "\"trainees_api\"",
        "\"lead_provider_api\"", "\"2026-13-45\"", "\"2026-12-01\"", "\"9999-12-31\"", "\"0b7c1b2e-8a6c-4c9e-9d55-8d1f7c7a0001\"",
        "\"not-a-uuid\"", "[]", "[1,2]", "{}", "{\"a\":1}", "\"\\u0000\"", "\"" + new string('x', 300) + "\"", "\"<script>\"", "\"名前\"",
    ];

    private static readonly string[] Fields = ["name", "audience", "organisation_id", "expires_on", "unknown"];

    private static readonly Gen<string> JsonObjects =
        Gen.Select(Gen.Int[0, Values.Length - 1].Array[Fields.Length], Gen.Bool.Array[Fields.Length], (values, present) =>
            "{" + string.Join(",", Fields.Select((f, i) => (f, i)).Where(x => present[x.i]).Select(x => $"\"{x.f}\":{Values[values[x.i]]}")) + "}");

    private static readonly Gen<string> Garbage = Gen.String;

    [Fact]
    public async Task Random_json_objects_get_a_clear_answer_never_a_500()
    {
        var support = await Api.SupportAsync();

        await JsonObjects.SampleAsync(async body => await AssertClearAnswerAsync(support, body), iter: 150, threads: 1);
    }

    [Fact]
    public async Task Random_text_gets_a_clear_answer_never_a_500()
    {
        var support = await Api.SupportAsync();

        await Garbage.SampleAsync(async body => await AssertClearAnswerAsync(support, body), iter: 100, threads: 1);
    }

    private static async Task AssertClearAnswerAsync(HttpClient support, string body)
    {
        var response = await support.PostAsync("/support/api-clients", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(
            response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
            $"{(int)response.StatusCode} for {body}: {text}");
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.StartsWith("{\"errors\":[{\"error\":", text, StringComparison.Ordinal);
        }
    }
}
