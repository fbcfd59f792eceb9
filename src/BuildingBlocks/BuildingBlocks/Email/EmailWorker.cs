using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Jobs;

namespace Register.BuildingBlocks.Email;

/// <summary>
/// Sends what <see cref="Emails"/> wrote: each unsent email whose time has come, claimed with <c>FOR UPDATE SKIP LOCKED</c> so
/// several Register processes send each once. A failure is kept (<c>last_error</c>) and tried again after a growing wait
/// (a minute, doubling, at most six hours); an email is never dropped. The change that wrote it committed long before.
/// </summary>
public sealed class EmailWorker(
    NpgsqlDataSource db, IEmailSender sender, EmailSecrets secrets, RegisterDatabase database, TimeProvider clock, IOptions<EmailOptions> options, ILogger<EmailWorker> logger)
    : BackgroundLoop(database, clock, logger)
{
    private const int BatchSize = 20;

    // One batch at a time in this process, so that SendDueAsync returns only once an email the background loop had
    // claimed (and SKIP LOCKED would pass over) is sent too. Another process's batch is still passed over.
    private readonly SemaphoreSlim _oneBatch = new(1, 1);

    protected override string Name => "Email worker";

    /// <summary>Sends every email due now, waiting for a batch this process's loop has under way; returns how many this call sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var sent = 0;
        int done;
        while ((done = await RunBatchAsync(ct)) > 0)
        {
            sent += done;
        }

        return sent;
    }

    protected override TimeSpan NextWait(int done) => done > 0 ? TimeSpan.Zero : options.Value.PollInterval;

    /// <summary>One batch: returns the number sent (a batch where every email failed counts 0, so the loop waits).</summary>
    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await _oneBatch.WaitAsync(ct);
        try
        {
            return await SendBatchAsync(ct);
        }
        finally
        {
            _oneBatch.Release();
        }
    }

    private async Task<int> SendBatchAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, notice_key, recipient, subject, body, protected_secret, attempts FROM email.outbox
            WHERE sent_at IS NULL AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @BatchSize FOR UPDATE SKIP LOCKED
            """,
            new { now = Clock.UtcNowForDatabase(), BatchSize }, tx, cancellationToken: ct))).AsList();
        var sent = 0;
        foreach (var row in due)
        {
            try
            {
                var body = row.ProtectedSecret is null ? row.Body : row.Body.Replace(EmailNotice.SecretPlaceholder, secrets.Unprotect(row.ProtectedSecret), StringComparison.Ordinal);
                var sentAs = await sender.SendAsync(new EmailNotice(row.NoticeKey, row.Recipient, row.Subject, body), ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE email.outbox SET sent_at = @now, sent_as = @sentAs, attempts = attempts + 1, last_error = NULL, protected_secret = NULL WHERE id = @Id",
                    new { row.Id, now = Clock.UtcNowForDatabase(), sentAs }, tx, cancellationToken: ct));
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The notice's key, never its address or text, in the log.
                Logger.LogWarning("Email {Notice} could not be sent ({Attempt} attempts): {Error}", row.NoticeKey, row.Attempts + 1, ex.Message);
                var wait = TimeSpan.FromMinutes(Math.Min(360, Math.Pow(2, Math.Min(row.Attempts, 9))));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE email.outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next WHERE id = @Id",
                    new { row.Id, error = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message, next = Clock.UtcNowForDatabase() + wait }, tx, cancellationToken: ct));
            }
        }

        await tx.CommitAsync(ct);
        return sent;
    }

    public override void Dispose()
    {
        _oneBatch.Dispose();
        base.Dispose();
    }

    private sealed record Row
    {
        public Guid Id { get; init; }

        public string NoticeKey { get; init; } = "";

        public string Recipient { get; init; } = "";

        public string Subject { get; init; } = "";

        public string Body { get; init; } = "";

        public string? ProtectedSecret { get; init; }

        public int Attempts { get; init; }
    }
}

public static class EmailRegistration
{
    /// <summary>The email outbox, its worker, and the sender: GOV.UK Notify when configured, else the mailbox folder.</summary>
    public static IServiceCollection AddRegisterEmail(this IServiceCollection services)
    {
        services.AddModuleMigrations("email", typeof(Emails).Assembly);
        services.AddOptions<EmailOptions>().BindConfiguration("Email").Configure<IConfiguration>((o, config) =>
        {
            if (config["Web:BaseUrl"] is { Length: > 0 } baseUrl && config["Email:ServiceUrl"] is null)
            {
                o.ServiceUrl = baseUrl;
            }

            o.ServiceUrl = o.ServiceUrl.TrimEnd('/');
        });
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesNotify
            ? ActivatorUtilities.CreateInstance<NotifyEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<MailboxEmailSender>(sp));
        services.AddSingleton<EmailSecrets>();
        services.AddHealthChecks().AddCheck<EmailHealthCheck>("email", tags: [DependencyHealth.Tag]);
        services.AddSingleton<EmailWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailWorker>());
        return services;
    }
}
