using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Register.BuildingBlocks.Security;
using Register.Trainees.Versions;

namespace Register.Trainees.Api;

/// <summary>
/// Each trainee API version's OpenAPI document, derived from the slices' typed documentation (<see cref="TraineeApiDocumentation"/>)
/// and the version's descriptor (docs/adr/0018): the records are in Register's own field names; here each document gets
/// its version's names (<see cref="TraineeApiVersion.Renames"/>), <c>iqts_country</c> only where the version has it, and
/// the version's <c>training_route</c> codes. The answers every endpoint of every API can give whatever it does (400, 401,
/// 413, 415, 429, 503) are added by the Host's <c>OpenApiOperations</c>, in the envelope the pipeline writes them in.
/// </summary>
internal static class TraineeOpenApi
{
    private const string Json = "application/json";

    public static IServiceCollection AddTraineeOpenApi(this IServiceCollection services)
    {
        foreach (var version in TraineeApiVersions.All)
        {
            services.Configure<OpenApiOptions>(ApiDefinition.Trainees(version.Name).OpenApiDocument, options =>
            {
                var referenceId = options.CreateSchemaReferenceId;
                // oneOf holders are written inline, as the oneOf itself.
                options.CreateSchemaReferenceId = type => IsOneOf(type.Type) ? null : referenceId(type);
                options.AddSchemaTransformer((schema, context, ct) => DescribeAsync(schema, context, version));
                options.AddOperationTransformer((operation, context, ct) => DescribeAsync(operation, context, version));
                options.AddDocumentTransformer((document, context, ct) =>
                {
                    InVersionWords(document, version);
                    return Task.CompletedTask;
                });
            });
        }

        return services;
    }

    private static bool IsOneOf(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(OneOf<,>) || type.GetGenericTypeDefinition() == typeof(OneOf<,,>));

    /// <summary>The schema of a documentation record: its enums, exact keys, dynamic keys and oneOfs.</summary>
    private static async Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, TraineeApiVersion version)
    {
        var type = context.JsonTypeInfo.Type;
        if (IsOneOf(type))
        {
            schema.Type = null;
            schema.Properties = null;
            schema.Required = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
            schema.OneOf = [];
            foreach (var alternative in type.GetGenericArguments())
            {
                schema.OneOf.Add(await context.GetOrCreateSchemaAsync(alternative));
            }

            return;
        }

        if (type == typeof(GroupedErrors))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Description = "Field → its messages; degrees_attributes and placements_attributes → an object of their own fields' messages (with base for the list's own).";
            schema.AdditionalProperties = new OpenApiSchema
            {
                OneOf = [StringList(), new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = StringList() }],
            };
            return;
        }

        if (context.JsonPropertyInfo?.AttributeProvider is { } property)
        {
            var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
            if (property.GetCustomAttributes(typeof(ValuesAttribute), false).OfType<ValuesAttribute>().FirstOrDefault() is { } values)
            {
                schema.Enum = [.. values.Values.Select(v => (JsonNode)JsonValue.Create(v))];
                if (nullable)
                {
                    schema.Enum.Add(null!);
                }
            }

            if (property.IsDefined(typeof(VersionTrainingRoutesAttribute), false))
            {
                schema.Enum = [.. version.TrainingRoutes.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }

        if (type.IsDefined(typeof(ExactKeysAttribute), false))
        {
            schema.AdditionalPropertiesAllowed = false;
        }

        if (type.GetCustomAttributes(typeof(RequiredKeysAttribute), false).OfType<RequiredKeysAttribute>().FirstOrDefault() is { } required)
        {
            schema.Required = required.Keys.ToHashSet();
        }

        if (type.GetCustomAttributes(typeof(DynamicKeysAttribute), false).OfType<DynamicKeysAttribute>().FirstOrDefault() is { } dynamic)
        {
            schema.PatternProperties = new Dictionary<string, IOpenApiSchema>
            {
                [dynamic.Pattern] = new OpenApiSchema { Type = JsonSchemaType.String, Description = dynamic.Description },
            };
        }
    }

    private static OpenApiSchema StringList() => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } };

    /// <summary>
    /// An operation: its id within the version, its non-JSON bodies and examples as the slice declares them, and descriptions
    /// of its path values.
    /// </summary>
    private static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, TraineeApiVersion version)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        // Endpoint names carry the version to be unique across the versions (CreateTrainee-v2026.1); within one version's
        // document the use case's name is enough, and a generated client's methods read CreateTraineeAsync.
        operation.OperationId = operation.OperationId?.Replace($"-{version.Name}", "", StringComparison.Ordinal);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            parameter.Description ??= ParameterDescriptions.GetValueOrDefault(parameter.Name ?? "");
        }

        foreach (var content in metadata.OfType<TraineeRequestContent>())
        {
            if (operation.RequestBody?.Content?.TryGetValue(content.ContentType, out var media) == true)
            {
                media.Schema = await context.GetOrCreateSchemaAsync(content.Shape);
            }
        }

        foreach (var example in metadata.OfType<VersionedExample>())
        {
            IOpenApiResponse? response = null;
            var content = example.Status is { } status
                ? operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out response) == true ? response?.Content : null
                : operation.RequestBody?.Content;
            if (content?.TryGetValue(Json, out var media) == true)
            {
                media.Example = example.Make(version);
            }
        }
    }

    private static readonly Dictionary<string, string> ParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["traineeId"] = "The trainee's trainee_id, as Register answered it when the trainee was made.",
        ["degreeId"] = "The degree's degree_id.",
        ["placementId"] = "The placement's placement_id.",
        ["uploadId"] = "The upload's upload_id.",
        ["field"] = "One list alone, by its field name (sex, nationality, withdrawal_reasons …); every list when absent.",
    };

    /// <summary>
    /// The whole document in the version's words: every schema's property names renamed as the version names them
    /// (request and answer alike, as the version reads and writes them), and <c>iqts_country</c> gone where the version lacks it.
    /// </summary>
    private static void InVersionWords(OpenApiDocument document, TraineeApiVersion version)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        void Visit(IOpenApiSchema? node)
        {
            if (node is not OpenApiSchema schema || !seen.Add(schema))
            {
                return;
            }

            if (schema.Properties is { Count: > 0 } properties)
            {
                schema.Properties = properties
                    .Where(p => version.IqtsCountry || p.Key != "iqts_country")
                    .ToDictionary(p => version.Wire(p.Key), p => p.Value);
                if (schema.Required is { Count: > 0 } required)
                {
                    schema.Required = required.Where(r => version.IqtsCountry || r != "iqts_country").Select(version.Wire).ToHashSet();
                }
            }

            foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? [])
                .Concat(schema.PatternProperties?.Values ?? []).Append(schema.Items).Append(schema.AdditionalProperties))
            {
                Visit(child);
            }
        }

        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Visit(schema);
        }

        foreach (var operation in document.Paths?.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []) ?? [])
        {
            foreach (var media in (operation.RequestBody?.Content?.Values ?? []).Concat(operation.Responses?.Values.SelectMany(r => r.Content?.Values ?? []) ?? []))
            {
                Visit(media.Schema);
            }
        }
    }
}
