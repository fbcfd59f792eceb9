using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Register.BuildingBlocks.Security;

namespace Register.TestKit;

/// <summary>
/// The suite-wide check that Register answers as its OpenAPI documents say: every response an HTTP test receives from an
/// endpoint of an API is held back until it has been compared with the project's own document for that API (the operation
/// is in it, the status is documented, the content type is one the status documents, and a JSON body matches its schema).
/// What differs is recorded; <see cref="ApiTest{TFixture}"/> fails the test that received it. The documents are the ones
/// the running Register generates, read through the framework's document provider, as <c>/openapi/{name}.json</c> serves them.
/// </summary>
public sealed partial class DocumentedResponses
{
    private const int MaxBody = 8 * 1024 * 1024;
    private static readonly HashSet<string> Documents = ApiDefinition.All.Select(a => a.OpenApiDocument).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, Lazy<Task<JsonNode>>> _documents = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly ConcurrentQueue<string> _violations = new();

    /// <summary>How many responses were compared with a document (a check that compares nothing proves nothing).</summary>
    public int Checked => _checked;

    private int _checked;

    /// <summary>What differed since the last call, emptied.</summary>
    public IReadOnlyList<string> TakeViolations()
    {
        var taken = new List<string>();
        while (_violations.TryDequeue(out var violation))
        {
            taken.Add(violation);
        }

        return taken;
    }

    /// <summary>Fails (an xunit failure listing them) when answers differed since the last call; empties the list.</summary>
    public void AssertNoneDiffered()
    {
        var violations = TakeViolations();
        if (violations.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{violations.Count} answer(s) differ from the OpenAPI document of their API:\n" + string.Join("\n", violations.Distinct().Take(20)));
        }
    }

    /// <summary>The middleware, first in the pipeline: it buffers each answer, checks it, then lets it go.</summary>
    public IStartupFilter StartupFilter() => new Filter(this);

    /// <summary>
    /// Compares one answer with <paramref name="document"/> (an OpenAPI 3.1 document as JSON). Returns what differs, or null.
    /// </summary>
    public string? Compare(JsonNode document, string documentName, string method, string pathTemplate, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        var where = $"{method} {pathTemplate} → {status} ({documentName})";
        if (document["paths"]?[pathTemplate]?[method.ToLowerInvariant()] is not JsonObject operation)
        {
            return $"{where}: the operation is not in the document";
        }

        var responses = operation["responses"] as JsonObject;
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? responses?[$"{status / 100}XX"] ?? responses?["default"];
        if (response is null)
        {
            return $"{where}: the status is not documented (documented: {string.Join(", ", responses?.Select(r => r.Key) ?? [])})";
        }

        var content = response["content"] as JsonObject;
        if (body.Length == 0)
        {
            return null;
        }

        if (content is null || content.Count == 0)
        {
            return $"{where}: the answer has a body ({contentType}) but the document gives this status none";
        }

        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var media = content[mediaType] ?? content.FirstOrDefault(c => c.Key.EndsWith("/*", StringComparison.Ordinal) && mediaType.StartsWith(c.Key[..^1], StringComparison.Ordinal)).Value
            ?? content["*/*"];
        if (media is null)
        {
            return $"{where}: the content type {mediaType} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})";
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonNode schemaNode)
        {
            return null;
        }

        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return $"{where}: the body is not JSON: {e.Message}";
        }

        using (instance)
        {
            var key = $"{documentName}|{pathTemplate}|{method}|{status}|{mediaType}";
            return Validate(document, schemaNode, key, instance.RootElement) is { } errors
                ? $"{where}: the body does not match the documented schema:\n  {errors}\n  body: {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 600)])}"
                : null;
        }
    }

    /// <summary>What is wrong with <paramref name="instance"/> against <paramref name="schemaNode"/> (a schema of the document), or null.</summary>
    public string? Validate(JsonNode document, JsonNode schemaNode, string key, JsonElement instance)
    {
        var schema = _schemas.GetOrAdd(key, _ => Build(document, schemaNode));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? null
            : string.Join("\n  ", (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .Take(8));
    }

    /// <summary>A response schema with the document's component schemas as its <c>$defs</c>.</summary>
    private static JsonSchema Build(JsonNode document, JsonNode schema)
    {
        var defs = document["components"]?["schemas"]?.DeepClone() ?? new JsonObject();
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = defs,
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://register.test/schemas/{Guid.NewGuid():N}"));
    }

    private async Task<JsonNode> DocumentAsync(IServiceProvider services, string name) =>
        await _documents.GetOrAdd(name, n => new Lazy<Task<JsonNode>>(async () =>
        {
            var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(n);
            var document = await provider.GetOpenApiDocumentAsync();
            using var writer = new StringWriter();
            document.SerializeAsV31(new OpenApiJsonWriter(writer));
            return JsonNode.Parse(writer.ToString())!;
        })).Value;

    private async Task CheckAsync(HttpContext context, byte[] body)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
            || endpoint.Metadata.GetMetadata<IEndpointGroupNameMetadata>()?.EndpointGroupName is not { } name
            || !Documents.Contains(name)
            || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var document = await DocumentAsync(context.RequestServices, name);
        var template = "/" + Constraint().Replace(endpoint.RoutePattern.RawText ?? "", "}").Trim('/');
        Interlocked.Increment(ref _checked);
        if (Compare(document, name, context.Request.Method, template, context.Response.StatusCode, context.Response.ContentType, body) is { } violation)
        {
            _violations.Enqueue(violation);
        }
    }

    /// <summary>A route constraint or default (<c>{id:guid}</c>, <c>{page?}</c>): the document's template has the bare name.</summary>
    [GeneratedRegex(@"(?<=\{[^}:=?]+)[:=?][^}]*\}")]
    private static partial Regex Constraint();

    private sealed class Filter(DocumentedResponses check) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var original = context.Response.Body;
                using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    context.Response.Body = original;
                }

                var bytes = buffer.ToArray();
                if (bytes.Length <= MaxBody)
                {
                    await check.CheckAsync(context, bytes);
                }

                await original.WriteAsync(bytes, context.RequestAborted);
            });
            next(app);
        };
    }
}
