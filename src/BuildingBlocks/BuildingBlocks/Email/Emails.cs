using Dapper;
using Npgsql;

namespace Register.BuildingBlocks.Email;

/// <summary>
/// An email to one person. <paramref name="Key"/> names the notice (<c>invitation:{user}</c>,
/// <c>upload-checked:{upload}</c>, <c>token-expiry:{client}:1-week</c>): the same key is sent once, however often it is written.
/// <paramref name="Body"/> is plain text with GOV.UK Notify's markdown (<c>#</c> headings, <c>*</c> lists, bare links).
/// </summary>
public sealed record EmailNotice(string Key, string To, string Subject, string Body);

/// <summary>
/// The email outbox (<c>email.outbox</c>): a module writes a notice in the transaction of the change that causes it, and
/// <see cref="EmailWorker"/> sends it afterwards, so sending never blocks or fails the change, and a change rolled back
/// sends nothing. See docs/adr/0020.
/// </summary>
public static class Emails
{
    /// <summary>Writes the notice unless one with its key was written before; true when it is new.</summary>
    public static async Task<bool> EnqueueAsync(NpgsqlTransaction tx, EmailNotice notice, DateTimeOffset now, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO email.outbox (id, notice_key, recipient, subject, body, created_at, next_attempt_at)
            VALUES (@id, @Key, @To, @Subject, @Body, @now, @now)
            ON CONFLICT (notice_key) DO NOTHING
            """,
            new { id = Guid.CreateVersion7(now), notice.Key, notice.To, notice.Subject, notice.Body, now }, tx, cancellationToken: ct)) == 1;
}
