using Microsoft.AspNetCore.Builder;

namespace Register.BuildingBlocks.Http;

/// <summary>
/// A query parameter a slice reads itself (from <c>HttpContext.Request.Query</c>, because its name is not a C# name, such as
/// <c>filter[cohort]</c>, or because the reference's quirks need the raw value), described for the API's OpenAPI document.
/// Parameters bound as handler arguments are described by the framework and need none.
/// </summary>
/// <param name="Name">The parameter as it is sent: <c>page[per_page]</c>.</param>
/// <param name="Type">The JSON schema type: <c>string</c>, <c>integer</c>, <c>boolean</c>.</param>
/// <param name="Description">One line a client's developer can act on.</param>
/// <param name="Format">The JSON schema format, if any: <c>date</c>, <c>date-time</c>, <c>uuid</c>.</param>
/// <param name="Values">The values it takes, when they are a fixed list.</param>
/// <param name="Required">True when a request without it is refused.</param>
/// <param name="IsArray">True when it may be sent more than once (<c>status[]=deferred&amp;status[]=withdrawn</c>).</param>
public sealed record QueryParameterDoc(
    string Name, string Type, string Description, string? Format = null, IReadOnlyList<string>? Values = null, bool Required = false, bool IsArray = false);

/// <summary>A request header an endpoint reads (such as <c>Enhanced-Errors</c>), described for its OpenAPI document.</summary>
public sealed record HeaderParameterDoc(string Name, string Description);

/// <summary>An example body for one status of an operation (the request body when <see cref="Status"/> is null), for its OpenAPI document.</summary>
public sealed record ExampleDoc(int? Status, object Example);

public static class ApiDocumentation
{
    /// <summary>Describes a query parameter the slice reads itself (see <see cref="QueryParameterDoc"/>).</summary>
    public static TBuilder WithQueryParameter<TBuilder>(
        this TBuilder builder, string name, string type, string description, string? format = null, IReadOnlyList<string>? values = null, bool required = false,
        bool isArray = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryParameterDoc(name, type, description, format, values, required, isArray));

    /// <summary>
    /// The <c>page</c> and <c>per_page</c> of a list paged by <see cref="PageRequest"/> (read as text, so that a bad value is a 400
    /// naming it, but documented as the whole numbers they are).
    /// </summary>
    public static TBuilder WithPageParameters<TBuilder>(this TBuilder builder, int defaultPerPage, int maxPerPage)
        where TBuilder : IEndpointConventionBuilder => builder
        .WithQueryParameter("page", "integer", "The page, from 1 (1 by default)")
        .WithQueryParameter("per_page", "integer", $"Items a page: {defaultPerPage} by default, {maxPerPage} at most");

    /// <summary>Describes a request header the endpoint reads.</summary>
    public static TBuilder WithHeaderParameter<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeaderParameterDoc(name, description));

    /// <summary>An example of the request body, written as the API writes JSON (snake_case unless the object says otherwise).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object example)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ExampleDoc(null, example));

    /// <summary>An example of the answer with <paramref name="status"/>.</summary>
    public static TBuilder WithResponseExample<TBuilder>(this TBuilder builder, int status, object example)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ExampleDoc(status, example));
}
