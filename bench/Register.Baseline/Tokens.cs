using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Register.Baseline;

/// <summary>
/// The token check: ONE look-up of the token's keyed hash, the same statement as Register's
/// (src/Modules/Access/Access/Tokens/ApiTokenAuthentication.cs), on the request's one connection. It checks the audience and
/// that the token is neither revoked, deleted nor expired; it does not write last_used_at (Register does that once a day
/// a token, so not in a measured request).
/// </summary>
internal sealed class Tokens(Lazy<byte[]> key)
{
    public const string Lookup = """
        SELECT id, name, audience, organisation_id, token_hash, expires_on, revoked_at, deleted_at, last_used_at
        FROM access.api_clients WHERE token_hash = @hash
        """;

    /// <summary>The client's organisation (Guid.Empty for none) if the request's bearer token is a live one for the audience; else null.</summary>
    public async Task<Guid?> CheckAsync(NpgsqlConnection connection, HttpContext http, string audience)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        await using var command = new NpgsqlCommand(Lookup, connection);
        command.Parameters.AddWithValue("hash", HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || reader.GetString(2) != audience || !reader.IsDBNull(6) || !reader.IsDBNull(7)
            || !reader.IsDBNull(5) && reader.GetFieldValue<DateOnly>(5) < DateOnly.FromDateTime(DateTime.UtcNow))
        {
            return null;
        }

        return reader.IsDBNull(3) ? Guid.Empty : reader.GetGuid(3);
    }
}
