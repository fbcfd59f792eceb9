using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.Access.Tokens;

/// <summary>
/// The authentication scheme of one API audience. It reads <c>Authorization: Bearer &lt;token&gt;</c> (a bare
/// token, or <c>Token token=...</c>, also works, as in the reference services), finds the client by the
/// token's keyed hash, and accepts it only if the client is live (not revoked, deleted or past its expiry
/// day) and its audience is this scheme's. Otherwise the API answers 401 with its own body. The client a token opened is
/// kept for a few seconds (<see cref="ApiTokenCache"/>), so most requests read no row.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    TokenHasher hasher,
    ApiTokenCache cache,
    TokenFailures failures,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenFailures.ReadToken(Request.Headers.Authorization.ToString());
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress;
        if (failures.IsBlocked(address) && !failures.IsKnown(token))
        {
            // Too many tokens from this address opened nothing: this one is not looked up.
            return AuthenticateResult.Fail("Unknown token from an address that sent too many.");
        }

        var hash = hasher.Hash(token);
        var key = Convert.ToHexString(hash);
        var client = await cache.Clients.GetOrLoadAsync(key, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
            return await connection.QuerySingleOrDefaultAsync<ApiTokenClient>(new CommandDefinition(
                """
                SELECT id, name, audience, organisation_id, token_hash, expires_on, revoked_at, deleted_at, last_used_at
                FROM access.api_clients WHERE token_hash = @hash
                """,
                new { hash }, cancellationToken: Context.RequestAborted));
        });

        var today = clock.TodayInLondon();
        if (client is null || !CryptographicOperations.FixedTimeEquals(client.TokenHash, hash))
        {
            failures.RecordFailure(address);
            return AuthenticateResult.Fail("Unknown token.");
        }

        if (client.RevokedAt is not null || client.DeletedAt is not null || client.ExpiresOn < today)
        {
            failures.RecordFailure(address);
            return AuthenticateResult.Fail("Revoked, deleted or expired token.");
        }

        if (client.Audience != Scheme.Name)
        {
            return AuthenticateResult.Fail($"Token for {client.Audience}, not {Scheme.Name}.");
        }

        // At most one write a day: only the first successful call of a London day records it.
        var startOfToday = LondonTime.StartOfLondonDay(today);
        if (client.LastUsedAt is null || client.LastUsedAt < startOfToday)
        {
            var now = clock.UtcNowForDatabase();
            await using var connection = await dataSource.OpenConnectionAsync(Context.RequestAborted);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE access.api_clients SET last_used_at = @now WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @startOfToday)",
                new { client.Id, now, startOfToday }, cancellationToken: Context.RequestAborted));
            cache.Clients.Replace(key, client with { LastUsedAt = now });
        }

        failures.RememberWorked(token);
        var caller = new Caller(client.Id, client.Name, client.Audience, client.OrganisationId);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(caller.ToClaims(), Scheme.Name, Caller.ClientNameClaim, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => ApiErrors.WriteUnauthorizedAsync(Context);

    // A token of another audience never authenticates here, so a refusal is always "who are you?": 401.
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => ApiErrors.WriteUnauthorizedAsync(Context);
}
