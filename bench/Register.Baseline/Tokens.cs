using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Register.Baseline;

/// <summary>
/// The token check, as Register's (src/Modules/Access/Access/Tokens/ApiTokenAuthentication.cs with ApiTokenCache.cs): the
/// client a token's keyed hash finds is kept in memory for 10 s, so a warm request runs no statement; otherwise ONE look-up,
/// Register's statement, on the request's one connection. It checks the audience and that the token is neither revoked,
/// deleted nor expired; it does not write last_used_at (Register does that once a day a token, so not in a measured request).
/// </summary>
internal sealed class Tokens(Lazy<byte[]> key)
{
    public const string Lookup = """
        SELECT id, name, audience, organisation_id, token_hash, expires_on, revoked_at, deleted_at, last_used_at
        FROM access.api_clients WHERE token_hash = @hash
        """;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (Client Client, DateTime Until)> _clients = new();

    /// <summary>The client's organisation (Guid.Empty for none) if the request's bearer token is a live one for the audience; else null.</summary>
    public async Task<Guid?> CheckAsync(NpgsqlConnection connection, HttpContext http, string audience)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        var cacheKey = Convert.ToHexString(hash);
        if (!_clients.TryGetValue(cacheKey, out var cached) || cached.Until <= DateTime.UtcNow)
        {
            await using var command = new NpgsqlCommand(Lookup, connection);
            command.Parameters.AddWithValue("hash", hash);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return null;
            }

            cached = (new Client(reader.GetString(2), reader.IsDBNull(3) ? Guid.Empty : reader.GetGuid(3),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), !reader.IsDBNull(6) || !reader.IsDBNull(7)), DateTime.UtcNow + CacheFor);
            _clients[cacheKey] = cached;
        }

        var client = cached.Client;
        return client.Audience != audience || client.Gone || client.ExpiresOn < DateOnly.FromDateTime(DateTime.UtcNow) ? null : client.Organisation;
    }

    private sealed record Client(string Audience, Guid Organisation, DateOnly? ExpiresOn, bool Gone);
}
