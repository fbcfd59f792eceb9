using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Web.Forms;

/// <summary>
/// The answers of a multi-step journey (add a provider, add a partnership, ...) kept server-side between its steps:
/// one JSON document per signed-in session and journey (<c>web.drafts</c>), gone when the journey saves or is a day old.
/// A journey is named by what it changes, e.g. <c>providers/new</c> or <c>providers/{id}/partnerships/new</c>.
/// </summary>
public sealed class Drafts(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T?> LoadAsync<T>(HttpContext http, string journey)
        where T : class
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var data = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT data::text FROM web.drafts WHERE session_id = @session AND journey = @journey AND expires_at > @now",
            new { session = Session(http), journey, now = clock.GetUtcNow() }, cancellationToken: http.RequestAborted));
        return data is null ? null : JsonSerializer.Deserialize<T>(data, Json);
    }

    public async Task SaveAsync<T>(HttpContext http, string journey, T draft)
        where T : class
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO web.drafts (session_id, journey, data, updated_at, expires_at) VALUES (@session, @journey, @data::jsonb, @now, @expires)
            ON CONFLICT (session_id, journey) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, expires_at = excluded.expires_at
            """,
            new { session = Session(http), journey, data = JsonSerializer.Serialize(draft, Json), now, expires = now + Lifetime },
            cancellationToken: http.RequestAborted));
    }

    public async Task DeleteAsync(HttpContext http, string journey)
    {
        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM web.drafts WHERE session_id = @session AND journey = @journey",
            new { session = Session(http), journey }, cancellationToken: http.RequestAborted));
    }

    /// <summary>
    /// A journey's answer to its save: the check page again with the refusal's field errors (<paramref name="invalid"/>),
    /// the refusal's own page (404, 409, ...), or, once saved, the draft dropped and <paramref name="saved"/>'s page.
    /// </summary>
    public async Task<IResult> FinishAsync<T>(HttpContext http, string journey, Outcome<T> outcome, Func<IReadOnlyList<ApiError>, Task<IResult>> invalid, Func<T, IResult> saved)
    {
        if (outcome.IsInvalid)
        {
            return await invalid(outcome.Errors);
        }

        if (!outcome.Succeeded)
        {
            return Pages.Problem(outcome.Error!);
        }

        await DeleteAsync(http, journey);
        return saved(outcome.Value!);
    }

    public Task<IResult> FinishAsync<T>(HttpContext http, string journey, Outcome<T> outcome, Func<IReadOnlyList<ApiError>, IResult> invalid, Func<T, IResult> saved) =>
        FinishAsync(http, journey, outcome, errors => Task.FromResult(invalid(errors)), saved);

    /// <summary>Removes the drafts that are a day old (the hourly clean-up).</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM web.drafts WHERE expires_at <= @now", new { now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    private static Guid Session(HttpContext http) => http.SignedInUser().SessionId;
}
