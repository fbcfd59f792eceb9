using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// The query conventions of the lead provider API, as the reference has them: <c>filter[...]</c> parameters
/// (<c>filter</c> itself must be a hash), <c>sort</c> (a comma list of <c>created_at</c>/<c>updated_at</c>, each
/// optionally <c>-</c> or <c>+</c>; unknown fields dropped; default <c>created_at</c>), and "countless"
/// pagination (<c>page[page]</c>, <c>page[per_page]</c> 100 by default, capped at 3,000; past the end is <c>[]</c>).
/// </summary>
internal static partial class LeadProviderQuery
{
    public const int DefaultPerPage = 100;
    public const int MaxPerPage = 3000;

    public static ApiErrorResult BadRequest(string detail) => ApiErrors.BadRequest(detail);

    public static ApiErrorResult BadParameter(string detail) =>
        new(StatusCodes.Status400BadRequest, [new ApiError("Bad parameter", detail)]);

    /// <summary>400 "Filter must be a hash" when <c>filter</c> is given as a plain value.</summary>
    public static ApiErrorResult? CheckFilterIsHash(IQueryCollection query) =>
        query.ContainsKey("filter") ? BadParameter("Filter must be a hash") : null;

    /// <summary>
    /// <c>filter[cohort]</c> as a list: absent or blank is no filter (null); otherwise the items that are whole
    /// numbers (others silently dropped; none left means nothing matches).
    /// </summary>
    public static int[]? Cohorts(IQueryCollection query)
    {
        var value = query["filter[cohort]"].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Split(',').Select(v => v.Trim())
            .Where(v => Digits().IsMatch(v) && v.Length <= 9)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture))
            .Distinct()
            .ToArray();
    }

    public static bool TryPage(IQueryCollection query, out int page, out int perPage, out ApiErrorResult? error)
    {
        page = 1;
        perPage = DefaultPerPage;
        error = null;
        var pageText = query["page[page]"].ToString();
        var perPageText = query["page[per_page]"].ToString();
        if ((pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            || (perPageText.Length > 0 && (!int.TryParse(perPageText, NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1)))
        {
            error = BadRequest("The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number");
            return false;
        }

        perPage = Math.Min(perPage, MaxPerPage);
        return true;
    }

    /// <summary>The ORDER BY for <c>sort</c>, over the given columns for created_at and updated_at; the id breaks ties.</summary>
    public static string OrderBy(IQueryCollection query, string createdAt, string updatedAt, string id) =>
        OrderBy(SortKeys(query), createdAt, updatedAt, id);

    /// <summary>The ORDER BY of <paramref name="keys"/> (from <see cref="SortKeys"/>), over the given columns; the id (ascending) breaks ties.</summary>
    public static string OrderBy(IReadOnlyList<SortKey> keys, string createdAt, string updatedAt, string id) =>
        string.Join(", ", keys.Select(k => $"{(k.UpdatedAt ? updatedAt : createdAt)} {(k.Descending ? "DESC" : "ASC")}").Append($"{id} ASC"));

    /// <summary>The fields of <c>sort</c> in order (created_at ascending when none is known), before the id that breaks ties.</summary>
    public static IReadOnlyList<SortKey> SortKeys(IQueryCollection query)
    {
        var keys = query["sort"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.Trim())
            .Select(item => (Descending: item.StartsWith('-'), Field: item.TrimStart('-', '+')))
            .Where(k => k.Field is "created_at" or "updated_at")
            .Select(k => new SortKey(k.Field == "updated_at", k.Descending))
            .ToList();
        return keys.Count == 0 ? [new SortKey(false, false)] : keys;
    }

    /// <summary>
    /// <c>filter[updated_since]</c>: an ISO 8601 date or date-time (without an offset, UTC); blank is no filter.
    /// A <c>+</c> the URL turned into a space is read back as <c>+</c>.
    /// </summary>
    public static bool TryUpdatedSince(IQueryCollection query, out DateTimeOffset? since, out ApiErrorResult? error)
    {
        since = null;
        error = null;
        var value = query["filter[updated_since]"].ToString().Trim().Replace(' ', '+');
        if (value.Length == 0)
        {
            return true;
        }

        if (value.Length >= 10 && value[4] == '-'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            since = parsed;
            return true;
        }

        error = BadRequest("The filter '#/updated_since' must be a valid ISO 8601 date");
        return false;
    }

    /// <summary>A comma list of UUIDs; the ones that are not UUIDs are dropped. Null when blank.</summary>
    public static Guid[]? Ids(IQueryCollection query, string filter)
    {
        var value = query[$"filter[{filter}]"].ToString();
        return string.IsNullOrWhiteSpace(value)
            ? null
            : value.Split(',').Select(v => Guid.TryParse(v.Trim(), out var id) ? id : (Guid?)null).OfType<Guid>().ToArray();
    }

    /// <summary>The <c>data.attributes</c> object of a request body, or null when the body does not have one (a 400).</summary>
    public static async Task<System.Text.Json.JsonElement?> AttributesAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
                   && data.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == System.Text.Json.JsonValueKind.Object
                   && attributes.EnumerateObject().Any()
                ? attributes.Clone()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static ApiErrorResult BadBody() => BadRequest("Correct json data structure required. See API docs for reference.");

    /// <summary>An attribute as text: a string, or a number written as text (<c>cohort</c> may be either); null when absent, null or blank.</summary>
    public static string? Text(System.Text.Json.JsonElement attributes, string name) =>
        attributes.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim(),
                System.Text.Json.JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Datetimes as the reference writes them: UTC, RFC 3339, whole seconds.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();
}

/// <summary>One field of <c>sort</c>: updated_at (else created_at), newest first (else oldest first).</summary>
internal readonly record struct SortKey(bool UpdatedAt, bool Descending);

/// <summary>A resource as the lead provider API shapes it: <c>{"id":"…","type":"…","attributes":{…}}</c>.</summary>
internal sealed record Resource<T>(Guid Id, string Type, T Attributes);

internal sealed record ResourceList<T>(IReadOnlyList<Resource<T>> Data);

internal sealed record ResourceEnvelope<T>(Resource<T> Data);

/// <summary>The body of <c>POST /api/v3/partnerships</c>: <c>{"data":{"type":"partnership","attributes":{...}}}</c>.</summary>
internal sealed record PartnershipRequest(PartnershipRequestData Data);

internal sealed record PartnershipRequestData(string Type, PartnershipRequestAttributes Attributes);

/// <param name="Cohort">The cohort's year (a number or its digits as text): <c>2025</c>.</param>
/// <param name="SchoolId">The school's <c>id</c> from <c>/api/v3/schools</c>.</param>
/// <param name="DeliveryPartnerId">The <c>id</c> of a delivery partner you have a contract with for that cohort.</param>
internal sealed record PartnershipRequestAttributes(string Cohort, Guid SchoolId, Guid DeliveryPartnerId);

/// <summary>The body of <c>PUT/PATCH /api/v3/partnerships/{id}</c>: only the delivery partner changes.</summary>
internal sealed record PartnershipChangeRequest(PartnershipChangeData Data);

internal sealed record PartnershipChangeData(string Type, PartnershipChangeAttributes Attributes);

internal sealed record PartnershipChangeAttributes(Guid DeliveryPartnerId);

/// <summary>The lead provider API's query conventions, described for its OpenAPI document.</summary>
internal static class LeadProviderQueryDocumentation
{
    public static RouteHandlerBuilder WithPaging(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("page[page]", "integer", "The page, from 1; a page past the end is an empty list")
        .WithQueryParameter("page[per_page]", "integer", $"Items a page: {LeadProviderQuery.DefaultPerPage} by default, {LeadProviderQuery.MaxPerPage:N0} at most");

    public static RouteHandlerBuilder WithSort(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("sort", "string", "A comma list of created_at and updated_at, each optionally prefixed with - (newest first) or +; created_at by default");

    public static RouteHandlerBuilder WithCohortFilter(this RouteHandlerBuilder builder, bool required = false) => builder
        .WithQueryParameter("filter[cohort]", "string", required
            ? "The cohort's year, such as 2025 (required)"
            : "A comma list of cohort years, such as 2024,2025", required: required);

    public static RouteHandlerBuilder WithUpdatedSinceFilter(this RouteHandlerBuilder builder) => builder
        .WithQueryParameter("filter[updated_since]", "string", "Only what changed at or after this time, in RFC 3339 (2025-01-31T00:00:00Z)", format: "date-time");

    /// <summary>The sandbox's time travel (<see cref="SandboxClock"/>): ignored outside sandbox mode.</summary>
    public static RouteHandlerBuilder WithSandboxClock(this RouteHandlerBuilder builder) => builder.WithMetadata(new HeaderParameterDoc(
        SandboxClock.Header, "Sandbox only: run the request as if it were this time (RFC 3339, such as 2025-12-31T00:00:00Z)"));
}
