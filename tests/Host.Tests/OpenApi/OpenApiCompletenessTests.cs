using System.Text.Json.Nodes;
using Register.TestKit;

namespace Register.Host.Tests.OpenApi;

/// <summary>
/// Each API's generated document describes every operation whole: its request body's schema, a schema for every answer
/// that has a body (success and each error envelope), 401 (unless the operation is open), 429 and 503, its security, and an
/// example of its request and success answers that its schema allows.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OpenApiCompletenessTests(HostFixture fixture) : ApiTest<HostFixture>(fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Theory]
    [InlineData("support")]
    [InlineData("providers-v0")]
    [InlineData("providers-v1")]
    [InlineData("lead-provider-v3")]
    [InlineData("trainees-v2025.0")]
    [InlineData("trainees-v2026.0")]
    [InlineData("trainees-v2026.1")]
    public async Task Every_operation_has_its_request_and_every_answer_described(string name)
    {
        var document = JsonNode.Parse(await Api.Anonymous().GetStringAsync($"/openapi/{name}.json"))!;
        var gaps = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                operations++;
                var where = $"{method.ToUpperInvariant()} {path}";
                if (operation!["requestBody"] is { } body && !HasSchema(body))
                {
                    gaps.Add($"{where}: request body without a schema");
                }

                // The request and the success answers show an example, and each example is one the schema allows.
                var shown = new[] { ("request", operation["requestBody"]) }
                    .Concat(operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).Select(r => (r.Key, r.Value)));
                foreach (var (part, node) in shown)
                {
                    foreach (var (mediaType, media) in node?["content"]?.AsObject() ?? [])
                    {
                        if (media?["example"] is not { } example)
                        {
                            gaps.Add($"{where}: {part} ({mediaType}) without an example");
                        }
                        else if (mediaType.EndsWith("json", StringComparison.Ordinal) && media["schema"] is { } schema
                            && Api.Factory.Responses.Validate(document, schema, $"example|{name}|{where}|{part}", System.Text.Json.JsonSerializer.SerializeToElement(example)) is { } wrong)
                        {
                            gaps.Add($"{where}: the {part} example does not match its schema: {wrong}");
                        }
                    }
                }

                var responses = operation["responses"]!.AsObject();
                foreach (var (status, response) in responses)
                {
                    if (status is not "204" && !HasSchema(response!))
                    {
                        gaps.Add($"{where}: {status} without a schema");
                    }
                }

                var open = operation["security"] is JsonArray { Count: 0 };
                foreach (var status in open ? ["429", "503"] : new[] { "401", "429", "503" })
                {
                    if (!responses.ContainsKey(status))
                    {
                        gaps.Add($"{where}: {status} not documented");
                    }
                }

                if (!responses.Any(r => r.Key.StartsWith('2')))
                {
                    gaps.Add($"{where}: no success answer");
                }
            }
        }

        Assert.True(operations > 0);
        Assert.True(gaps.Count == 0, $"{name}: {operations - gaps.Select(g => g.Split(':')[0]).Distinct().Count()} of {operations} operations complete:\n" + string.Join("\n", gaps));
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        Assert.NotEmpty(document["security"]!.AsArray());
    }

    private static bool HasSchema(JsonNode node) =>
        node["content"] is JsonObject { Count: > 0 } content && content.All(c => c.Value?["schema"] is JsonObject { Count: > 0 });
}
