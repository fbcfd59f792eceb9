using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Register.BuildingBlocks.Http;

namespace Register.Host;

/// <summary>
/// What every operation of every API document says the same way, from the endpoint's metadata: the error answers the
/// pipeline can give whatever the slice does (400 for a bad query, 401, 429, 503; 404 with a path value; 413, 415 and 422
/// with a body), each in its API's envelope (<see cref="ErrorStyle"/>) with an example; the query parameters a slice reads
/// itself (<see cref="QueryParameterDoc"/>); and the examples a slice gives (<see cref="ExampleDoc"/>). An answer a slice
/// declares with its own schema keeps it.
/// </summary>
internal sealed class OpenApiOperations : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var style = metadata.OfType<ErrorStyle>().LastOrDefault() ?? ErrorStyle.Register;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var document = context.Document ?? throw new InvalidOperationException("Operations are transformed within a document.");

        AddQueryParameters(operation, metadata.OfType<QueryParameterDoc>());
        foreach (var header in metadata.OfType<HeaderParameterDoc>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        var statuses = new SortedSet<int> { StatusCodes.Status400BadRequest, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable };
        if (!anonymous)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (context.Description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (operation.RequestBody is not null)
        {
            statuses.UnionWith([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity]);
        }

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
            }
        }

        foreach (var (key, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(key, out var status) || status < 400 || response is not OpenApiResponse own || own.Content is { Count: > 0 })
            {
                continue;
            }

            var type = status == StatusCodes.Status401Unauthorized ? ErrorStyle.UnauthorizedBodyType : style.BodyType;
            own.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = await ComponentAsync(type, context, document, cancellationToken),
                    Example = Json(status == StatusCodes.Status401Unauthorized
                        ? style.UnauthorizedBody
                        : style.Body(status, [new ApiError(null, ExampleMessage(status, style))])),
                },
            };
        }

        // In status order, as a reader looks for them.
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (key, response) in ordered)
        {
            operation.Responses[key] = response;
        }

        foreach (var example in metadata.OfType<ExampleDoc>())
        {
            var content = example.Status is { } status
                ? operation.Responses.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) ? response.Content : null
                : operation.RequestBody?.Content;
            foreach (var media in content?.Values ?? [])
            {
                media.Example = Json(example.Example);
            }
        }

        if (anonymous)
        {
            operation.Security = [];
        }
    }

    private static void AddQueryParameters(OpenApiOperation operation, IEnumerable<QueryParameterDoc> parameters)
    {
        foreach (var parameter in parameters)
        {
            operation.Parameters ??= [];
            // A parameter the framework found from the handler's arguments is described again, with the type it really has.
            var bound = operation.Parameters.FirstOrDefault(p => p.Name == parameter.Name && p.In == ParameterLocation.Query);
            if (bound is not null)
            {
                operation.Parameters.Remove(bound);
            }

            var schema = new OpenApiSchema
            {
                Type = parameter.Type switch
                {
                    "integer" => JsonSchemaType.Integer,
                    "boolean" => JsonSchemaType.Boolean,
                    "number" => JsonSchemaType.Number,
                    _ => JsonSchemaType.String,
                },
                Format = parameter.Format,
                Enum = parameter.Values?.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
            };
            var described = new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Required = parameter.Required,
                Description = parameter.Description,
                Schema = schema,
            };
            if (parameter.IsArray)
            {
                described.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema };
                described.Style = ParameterStyle.Form;
                described.Explode = true;
            }

            operation.Parameters.Add(described);
        }
    }

    /// <summary>The schema of a type as a component of the document (named after the type), referenced.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, OpenApiDocument document, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(type.Name))
        {
            document.AddComponent<IOpenApiSchema>(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }

    private static string ExampleMessage(int status, ErrorStyle style) => status switch
    {
        StatusCodes.Status400BadRequest => "The query parameter 'page' must be a whole number of 1 or more",
        StatusCodes.Status404NotFound => style.NotFoundMessage,
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than the API accepts",
        StatusCodes.Status415UnsupportedMediaType => InputHygiene.UnsupportedMediaTypeMessage(["application/json"]),
        StatusCodes.Status422UnprocessableEntity => "name must not contain control characters",
        StatusCodes.Status429TooManyRequests => "Too many requests: try again after the time in Retry-After",
        StatusCodes.Status503ServiceUnavailable => "The service is unavailable: try again after the time in Retry-After",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    private static JsonNode? Json(object value) => value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType(), RegisterJson.Options);
}
