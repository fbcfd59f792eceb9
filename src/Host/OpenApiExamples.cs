using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Register.Host;

/// <summary>
/// An example for every request body and success answer that its slice gives none of (<c>WithRequestExample</c>,
/// <c>WithResponseExample</c>), made from its schema: each property with a value of its type and format (an enum's first
/// value, a date for a date, the property's own words for text). So every operation of every document shows what it takes
/// and gives, and the tests check every example against its schema like any answer.
/// </summary>
internal sealed class OpenApiExamples : IOpenApiDocumentTransformer
{
    private const int MaxDepth = 8;

    /// <summary>Values that read as what they are, for the fields every API has.</summary>
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["ukprn"] = "10000001",
        ["urn"] = "123456",
        ["postcode"] = "EX1 2MP",
        ["code"] = "1234",
        ["number"] = "1234",
        ["operating_name"] = "Example University",
        ["legal_name"] = "The Example University",
        ["name"] = "Example name",
        ["first_name"] = "Jo",
        ["last_name"] = "Bloggs",
        ["provider_type"] = "hei",
        ["accreditation_status"] = "accredited",
        ["town_or_city"] = "Exampletown",
        ["address_line_1"] = "1 High Street",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var operations = document.Paths?.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()) ?? [];
        foreach (var operation in operations)
        {
            var media = (operation.RequestBody?.Content?.Values ?? []).Concat(
                (operation.Responses ?? []).Where(r => r.Key.StartsWith('2')).SelectMany(r => r.Value.Content?.Values ?? []));
            foreach (var content in media)
            {
                if (content.Example is null && content.Examples is not { Count: > 0 } && content.Schema is { } schema)
                {
                    content.Example = Make(schema, null, 0);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static JsonNode? Make(IOpenApiSchema schema, string? name, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (schema.Examples is { Count: > 0 } examples && examples[0] is { } example)
        {
            return example.DeepClone();
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return values.FirstOrDefault(v => v is not null)?.DeepClone();
        }

        if ((schema.OneOf ?? schema.AnyOf ?? schema.AllOf) is { Count: > 0 } alternatives)
        {
            return Make(alternatives[0], name, depth + 1);
        }

        var type = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : null);
        if (type is null)
        {
            return null;
        }

        if (type.Value.HasFlag(JsonSchemaType.Object))
        {
            var json = new JsonObject();
            foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                json[property] = Make(propertySchema, property, depth + 1);
            }

            return json;
        }

        if (type.Value.HasFlag(JsonSchemaType.Array))
        {
            return schema.Items is { } items ? new JsonArray(Make(items, name, depth + 1)) : new JsonArray();
        }

        if (type.Value.HasFlag(JsonSchemaType.Integer))
        {
            return JsonValue.Create(1);
        }

        if (type.Value.HasFlag(JsonSchemaType.Number))
        {
            return JsonValue.Create(1.5);
        }

        if (type.Value.HasFlag(JsonSchemaType.Boolean))
        {
            return JsonValue.Create(true);
        }

        if (type.Value.HasFlag(JsonSchemaType.String))
        {
            return JsonValue.Create(schema.Format switch
            {
                "date" => "2026-09-01",
                "date-time" => "2026-09-01T09:30:00Z",
                "uuid" => "3f2b8c1e-5d4a-4e6f-9a0b-1c2d3e4f5a6b",
                "email" => "jo.bloggs@example.com",
                "uri" => "https://example.com",
                _ => name is not null && Words.TryGetValue(name, out var word) ? word
                    : name?.EndsWith("email", StringComparison.Ordinal) == true ? "jo.bloggs@example.com"
                    : name is null ? "text" : name.Replace('_', ' ').ToLower(CultureInfo.InvariantCulture),
            });
        }

        return null;
    }
}
