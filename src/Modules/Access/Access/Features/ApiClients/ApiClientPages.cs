using Npgsql;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiClients;

/// <summary>What the API client pages share: who sees which client, and how a client's status and API read.</summary>
internal static class ApiClientPages
{
    /// <summary>A client the signed-in person may see: support users see every client, API users only those they created.</summary>
    public static async Task<ApiClient?> FindVisibleAsync(NpgsqlConnection connection, Guid id, SignedInUser user, CancellationToken ct) =>
        await ApiClient.FindAsync(connection, id, null, ct) is { } client && (user.IsSupport || client.CreatedById == user.Id) ? client : null;

    public static (string Text, string Colour) StatusTag(string status) => status switch
    {
        "active" => ("Active", "turquoise"),
        "expired" => ("Expired", "grey"),
        _ => ("Revoked", "orange"),
    };

    public static string ApiName(string audience) => audience switch
    {
        ApiAudiences.ProvidersApi => "Register of training providers API",
        ApiAudiences.TraineesApi => "Register trainee teachers API",
        ApiAudiences.LeadProviderApi => "Lead provider API",
        _ => "Register support API",
    };

    public static IReadOnlyList<AnswerRow> Rows(string name, DateOnly expiresOn, string? changeHref) =>
    [
        new("Client name", name, changeHref),
        new("Expiry date", BuildingBlocks.Web.Formats.Date(expiresOn)),
    ];
}
