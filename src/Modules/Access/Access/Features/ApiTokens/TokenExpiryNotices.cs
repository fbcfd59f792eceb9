using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Email;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.ApiTokens;

/// <summary>
/// Every day at 07:00 (London), and at startup if that was missed: the reminders that an SRS API token (a live
/// <c>trainees_api</c> client) expires, 1 month, 1 week and 1 day before, as the reference sends them. A token within one
/// of those windows gets one notice, for the tightest window it is in, to every active user of its provider, written to the
/// email outbox under the key <c>token-expiry:{client}:{window}:{user}</c>: a notice already written is not written again,
/// so running twice, a day missed or several Register processes send each notice once. Revoked, deleted and expired tokens
/// get none.
/// </summary>
internal sealed class TokenExpiryNotices(
    ScheduledJobContext context, NpgsqlDataSource db, EmailWorker emails, IOptions<EmailOptions> emailOptions, ILogger<TokenExpiryNotices> logger)
    : DailyJob(context, logger)
{
    public override string JobName => "token_expiry_notices";

    protected override TimeOnly RunsAt { get; } = new(7, 0);

    protected override bool CatchesUpAtStartup => true;

    /// <summary>One run now, outside the schedule (the tests'); returns how many notices it wrote.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => RunJobAsync(ct);

    /// <summary>The tightest reminder window a token expiring on <paramref name="expiresOn"/> is in today, or null.</summary>
    public static string? Window(DateOnly expiresOn, DateOnly today) =>
        expiresOn < today || expiresOn > today.AddMonths(1) ? null
        : expiresOn.DayNumber - today.DayNumber <= 1 ? "1-day"
        : expiresOn.DayNumber - today.DayNumber <= 7 ? "1-week"
        : "1-month";

    protected override async Task<int> RunJobAsync(CancellationToken ct)
    {
        var today = Clock.TodayInLondon();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = await connection.QueryAsync<Due>(new CommandDefinition(
            """
            SELECT c.id AS client_id, c.name, c.expires_on, u.id AS user_id, u.email
            FROM access.api_clients c
            JOIN access.users u ON u.role = 'provider' AND u.provider_id = c.organisation_id AND u.active AND u.deleted_at IS NULL
            WHERE c.audience = 'trainees_api' AND c.revoked_at IS NULL AND c.deleted_at IS NULL AND c.expires_on BETWEEN @today AND @monthAhead
            ORDER BY c.id, u.id
            """,
            new { today, monthAhead = today.AddMonths(1) }, tx, cancellationToken: ct));
        var now = Clock.UtcNowForDatabase();
        var written = 0;
        foreach (var notice in due)
        {
            var window = Window(notice.ExpiresOn, today)!;
            if (await Emails.EnqueueAsync(tx, Notice(notice, window, today), now, ct))
            {
                written++;
            }
        }

        await tx.CommitAsync(ct);
        if (written > 0)
        {
            emails.Wake();
        }

        return written;
    }

    private EmailNotice Notice(Due due, string window, DateOnly today)
    {
        var expires = Formats.Date(due.ExpiresOn);
        var when = (due.ExpiresOn.DayNumber - today.DayNumber) switch
        {
            0 => "today",
            1 => "tomorrow",
            _ when window == "1-week" => "in a week or less",
            _ => "in a month or less",
        };
        var body = $"""
            Your organisation's Register API token ‘{due.Name}’ expires {when}, at the end of {expires}.

            After that, your student record system cannot send trainee data to Register with it.

            To keep sending trainee data, generate a new token before this one expires and give it securely to those who manage your Register API integration:

            {emailOptions.Value.ServiceUrl}/api-tokens

            Once your student record system uses the new token, revoke the old one on the same page.

            You are receiving this email because you are a Register user of the organisation the token belongs to.
            """;
        return new EmailNotice($"token-expiry:{due.ClientId}:{window}:{due.UserId}", due.Email, $"Your Register API token ‘{due.Name}’ expires on {expires}", body);
    }

    private sealed record Due
    {
        public Guid ClientId { get; init; }

        public string Name { get; init; } = "";

        public DateOnly ExpiresOn { get; init; }

        public Guid UserId { get; init; }

        public string Email { get; init; } = "";
    }
}
