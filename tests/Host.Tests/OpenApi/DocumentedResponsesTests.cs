using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Register.TestKit;

namespace Register.Host.Tests.OpenApi;

/// <summary>
/// The suite-wide check (<see cref="DocumentedResponses"/>) that every API answer the tests receive is the one its OpenAPI
/// document describes: it compares answers, and it finds an undocumented status, a missing operation and a wrong shape.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DocumentedResponsesTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    [Fact]
    public async Task Answers_of_the_apis_are_compared_with_their_documents()
    {
        var before = Api.Factory.Responses.Checked;
        var support = await Api.SupportAsync();

        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/support/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.GetAsync($"/support/providers/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Anonymous().GetAsync("/api/v1/providers")).StatusCode);

        Assert.True(Api.Factory.Responses.Checked >= before + 3, "each answer of an API is compared with its document");
        Assert.Empty(Api.Factory.Responses.TakeViolations());
    }

    [Fact]
    public async Task An_undocumented_status_a_missing_operation_and_a_wrong_shape_are_each_found()
    {
        var document = JsonNode.Parse(await Api.Anonymous().GetStringAsync("/openapi/support.json"))!;
        var check = Api.Factory.Responses;
        var json = "application/json; charset=utf-8";

        Assert.Null(check.Compare(document, "support", "GET", "/support/providers/{id}", 404, json,
            Encoding.UTF8.GetBytes("""{"errors":[{"error":"NotFound","message":"Provider not found"}]}""")));
        Assert.Contains("the status is not documented",
            check.Compare(document, "support", "GET", "/support/providers/{id}", 418, json, Encoding.UTF8.GetBytes("{}")), StringComparison.Ordinal);
        Assert.Contains("the operation is not in the document",
            check.Compare(document, "support", "PUT", "/support/providers/{id}", 200, json, Encoding.UTF8.GetBytes("{}")), StringComparison.Ordinal);
        Assert.Contains("does not match the documented schema",
            check.Compare(document, "support", "GET", "/support/providers/{id}", 404, json, Encoding.UTF8.GetBytes("""{"errors":"Provider not found"}""")), StringComparison.Ordinal);
        Assert.Contains("content type text/html is not documented",
            check.Compare(document, "support", "GET", "/support/providers/{id}", 404, "text/html", Encoding.UTF8.GetBytes("<p>no</p>")), StringComparison.Ordinal);
    }
}
