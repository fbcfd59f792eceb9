using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Register.TestKit;
using YamlDotNet.RepresentationModel;

namespace Register.Partnerships.Tests;

/// <summary>
/// Register's lead provider API answers match the reference's OpenAPI document
/// (<c>data/openapi/lead-provider-api-v3.yaml</c>): every attribute the reference declares is there,
/// with its type, nullability, enum and format, and no other attribute is.
/// </summary>
[Collection(PartnershipsCollection.Name)]
public sealed class ReferenceContractTests(PartnershipsFixture fixture) : ApiTest<PartnershipsFixture>(fixture)
{
    private static readonly Lazy<YamlMappingNode> Schemas = new(() =>
        (YamlMappingNode)((YamlMappingNode)Repository.ReferenceDocument("lead-provider-api-v3.yaml")["components"])["schemas"]);

    [Fact]
    public async Task Partnerships_schools_and_delivery_partners_match_the_reference_schemas()
    {
        var support = await Api.SupportAsync();
        var year = DateTime.UtcNow.Month >= 6 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;
        await support.PostAsJsonAsync("/support/cohorts", new { year, started_on = $"{year}-06-01", finished_on = $"{year + 1}-05-31", enabled = true });
        async Task<Guid> Create(string path, object body) => (await (await support.PostAsJsonAsync(path, body)).BodyAsync()).GetProperty("data").Id();
        var lp = await Create("/support/lead-providers", new { name = "Contract LP" });
        var dp = await Create("/support/delivery-partners", new { name = "Contract DP" });
        await support.PostAsJsonAsync($"/support/lead-providers/{lp}/delivery-partner-contracts", new { delivery_partner_id = dp, cohort = year });
        var school = await Create("/support/schools", new { urn = "123456", name = "Contract School", gias_status = "open", type_name = "Community school" });
        var client = Api.WithToken(await Api.CreateTokenAsync(support, "lead_provider_api", lp));
        var body = JsonSerializer.Serialize(new { data = new { type = "partnership", attributes = new { cohort = year, school_id = school, delivery_partner_id = dp } } });
        var partnership = (await (await client.PostAsync("/api/v3/partnerships", new StringContent(body, Encoding.UTF8, "application/json"))).BodyAsync()).GetProperty("data");

        AssertMatches("Partnership", partnership);
        AssertMatches("School", (await (await client.GetAsync($"/api/v3/schools/{school}?filter[cohort]={year}")).BodyAsync()).GetProperty("data"));
        AssertMatches("DeliveryPartner", (await (await client.GetAsync($"/api/v3/delivery-partners/{dp}")).BodyAsync()).GetProperty("data"));
    }

    private static void AssertMatches(string schemaName, JsonElement resource)
    {
        var schema = (YamlMappingNode)Schemas.Value[schemaName];
        var properties = (YamlMappingNode)schema["properties"];
        var type = (YamlMappingNode)properties["type"];
        Assert.Contains(resource.Text("type"), ((YamlSequenceNode)type["enum"]).Children.Select(c => c.ToString()));
        Assert.True(Guid.TryParse(resource.Text("id"), out _), $"{schemaName}.id is not a UUID");

        var declared = (YamlMappingNode)((YamlMappingNode)properties["attributes"])["properties"];
        var attributes = resource.GetProperty("attributes");
        Assert.Equal(declared.Children.Keys.Select(k => k.ToString()).Order(), attributes.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (key, node) in declared.Children)
        {
            var rule = (YamlMappingNode)node;
            var value = attributes.GetProperty(key.ToString());
            var nullable = rule.Children.TryGetValue("nullable", out var n) && n.ToString() == "true";
            if (value.ValueKind == JsonValueKind.Null)
            {
                Assert.True(nullable, $"{schemaName}.{key} is null but the reference says it is not nullable");
                continue;
            }

            var expected = rule["type"].ToString();
            var actual = value.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "integer",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Array => "array",
                _ => value.ValueKind.ToString(),
            };
            Assert.True(expected == actual, $"{schemaName}.{key} is {actual}, the reference says {expected}");
            if (rule.Children.TryGetValue("enum", out var values))
            {
                Assert.Contains(value.GetString(), ((YamlSequenceNode)values).Children.Select(c => c.ToString()));
            }

            if (rule.Children.TryGetValue("format", out var format))
            {
                Assert.True(format.ToString() switch
                {
                    "uuid" => Guid.TryParse(value.GetString(), out _),
                    "date-time" => DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
                    _ => true,
                }, $"{schemaName}.{key} '{value}' is not a {format}");
            }
        }
    }
}
