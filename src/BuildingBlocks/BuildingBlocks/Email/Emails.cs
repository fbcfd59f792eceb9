using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Register.BuildingBlocks.Email;

/// <summary>
/// An email to one person. <paramref name="Key"/> names the notice (<c>invitation:{user}</c>,
/// <c>upload-checked:{upload}</c>, <c>token-expiry:{client}:1-week</c>): the same key is sent once, however often it is written.
/// <paramref name="Body"/> is plain text with GOV.UK Notify's markdown (<c>#</c> headings, <c>*</c> lists, bare links).
/// A secret the email carries (a one-time sign-in link) is not in the body: the body says <see cref="SecretPlaceholder"/>
/// and <paramref name="ProtectedSecret"/> is the secret protected by <see cref="EmailSecrets"/>, put in at send time.
/// </summary>
public sealed record EmailNotice(string Key, string To, string Subject, string Body, string? ProtectedSecret = null)
{
    public const string SecretPlaceholder = "((secret))";
}

/// <summary>
/// Protects the secret an email carries while it waits in the outbox (the data protection keys, as the session cookie is
/// protected: ADR 12), so no secret is stored in plain text; the worker unprotects it to send and then removes it.
/// </summary>
public sealed class EmailSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Register.Email.Secrets");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

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
            INSERT INTO email.outbox (id, notice_key, recipient, subject, body, protected_secret, created_at, next_attempt_at)
            VALUES (@id, @Key, @To, @Subject, @Body, @ProtectedSecret, @now, @now)
            ON CONFLICT (notice_key) DO NOTHING
            """,
            new { id = Guid.CreateVersion7(now), notice.Key, notice.To, notice.Subject, notice.Body, notice.ProtectedSecret, now }, tx, cancellationToken: ct)) == 1;
}
