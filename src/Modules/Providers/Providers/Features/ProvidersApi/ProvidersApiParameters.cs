using System.Globalization;
using Register.BuildingBlocks.Http;

namespace Register.Providers.Features.ProvidersApi;

internal static class ProvidersApiParameters
{
    /// <summary><c>changed_since</c>: blank is no filter; otherwise an ISO 8601 date or date-time (a date is its midnight UTC), or a 400.</summary>
    public static bool TryChangedSince(string? value, out DateTimeOffset? changedSince, out ApiErrorResult? error)
    {
        changedSince = null;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && (value.Contains('-', StringComparison.Ordinal) && value.Length >= 10))
        {
            changedSince = parsed;
            return true;
        }

        error = ApiErrors.BadRequest($"changed_since must be a valid ISO 8601 date or date-time, like 2025-09-14T11:34:56Z: '{value}' is not", "changed_since");
        return false;
    }
}
