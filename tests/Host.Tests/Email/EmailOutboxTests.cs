using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.BuildingBlocks.Email;
using Register.TestKit;

namespace Register.Host.Tests.Email;

/// <summary>
/// The email port (ADR 20): a notice written with its change is sent once, by the mailbox sender or GOV.UK Notify; one
/// rolled back with its change is never sent; a sender that fails keeps the email and tries again later. The tests share a
/// database no other Register uses (so no other worker sends their emails), emptied of emails before each; a test class's
/// tests run one after another.
/// </summary>
public sealed class EmailOutboxTests
{
    [Fact]
    public async Task A_notice_written_twice_is_sent_once()
    {
        await using var register = await RegisterAsync();

        Assert.True(await EnqueueAsync(register, new EmailNotice("invitation:1", "pat@example.ac.uk", "You’ve been invited", "Sign in at http://x/sign-in")));
        Assert.False(await EnqueueAsync(register, new EmailNotice("invitation:1", "pat@example.ac.uk", "You’ve been invited", "Again")));
        var first = await Mailbox.EmailsAsync(register);
        Assert.False(await EnqueueAsync(register, new EmailNotice("invitation:1", "pat@example.ac.uk", "You’ve been invited", "After it was sent")));
        var second = await Mailbox.EmailsAsync(register);

        var email = Assert.Single(first);
        Assert.Equal(("pat@example.ac.uk", "You’ve been invited", "invitation:1", "Sign in at http://x/sign-in"), (email.To, email.Subject, email.Notice, email.Body));
        Assert.Equal(first, second);
        await using var connection = new NpgsqlConnection(register.ConnectionString);
        var row = await connection.QuerySingleAsync<(DateTime? SentAt, int Attempts, string SentAs)>("SELECT sent_at, attempts, sent_as FROM email.outbox");
        Assert.NotNull(row.SentAt);
        Assert.Equal((1, email.File), (row.Attempts, row.SentAs));
    }

    [Fact]
    public async Task A_secret_waits_protected_in_the_outbox_and_is_forgotten_once_sent()
    {
        await using var register = await RegisterAsync();
        var secrets = register.Services.GetRequiredService<EmailSecrets>();

        await EnqueueAsync(register, new EmailNotice("invitation:7", "pat@example.ac.uk", "Invited", $"Use {EmailNotice.SecretPlaceholder} once", secrets.Protect("http://x/sign-in/link?token=rg_secret")));
        await using var connection = new NpgsqlConnection(register.ConnectionString);
        var waiting = await connection.QuerySingleAsync<string>("SELECT body || coalesce(protected_secret, '') FROM email.outbox");
        var sent = Assert.Single(await Mailbox.EmailsAsync(register));

        Assert.DoesNotContain("rg_secret", waiting, StringComparison.Ordinal);
        Assert.Equal("Use http://x/sign-in/link?token=rg_secret once", sent.Body);
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT protected_secret FROM email.outbox"));
    }

    [Fact]
    public async Task A_notice_rolled_back_with_its_change_is_never_sent()
    {
        await using var register = await RegisterAsync();
        await using (var connection = new NpgsqlConnection(register.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await Emails.EnqueueAsync(tx, new EmailNotice("upload-checked:1", "pat@example.ac.uk", "Checked", "Body"), DateTimeOffset.UtcNow, default);
            await tx.RollbackAsync();
        }

        Assert.Empty(await Mailbox.EmailsAsync(register));
    }

    [Fact]
    public async Task A_sender_that_fails_keeps_the_email_and_a_later_attempt_sends_it()
    {
        var blocked = Path.GetTempFileName(); // a file where the mailbox folder should be: every write fails
        var connectionString = await DatabaseAsync();
        await using (var failing = await StartedEmptyAsync(Register(connectionString, blocked)))
        {
            Assert.True(await EnqueueAsync(failing, new EmailNotice("token-expiry:1:1-day", "pat@example.ac.uk", "Expires tomorrow", "Body")));

            Assert.Empty(await Mailbox.EmailsAsync(failing));
        }

        await using var connection = new NpgsqlConnection(connectionString);
        var kept = await connection.QuerySingleAsync<(DateTime? SentAt, int Attempts, string? LastError, DateTime NextAttemptAt)>(
            "SELECT sent_at, attempts, last_error, next_attempt_at FROM email.outbox");
        Assert.Null(kept.SentAt);
        Assert.True(kept.Attempts >= 1);
        Assert.NotNull(kept.LastError);
        Assert.True(kept.NextAttemptAt > DateTime.UtcNow, "the next attempt waits");

        // Time passes (the wait is over) and the mailbox can be written again: the email goes, once.
        await connection.ExecuteAsync("UPDATE email.outbox SET next_attempt_at = now()");
        await using var mended = Register(connectionString);
        mended.CreateClient().Dispose();
        var sent = Assert.Single(await Mailbox.EmailsAsync(mended));
        Assert.Equal("token-expiry:1:1-day", sent.Notice);
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT last_error FROM email.outbox WHERE sent_at IS NOT NULL"));
    }

    [Fact]
    public async Task With_a_notify_key_and_template_emails_go_through_govuk_notify()
    {
        var received = new List<(string? Authorization, JsonElement Body)>();
        await using var notify = await FakeNotifyAsync(received);
        var serviceId = Guid.NewGuid();
        var connectionString = await DatabaseAsync();
        await using var register = new RegisterFactory(connectionString, new Dictionary<string, string?>
        {
            ["Email:PollInterval"] = "01:00:00",
            ["Email:NotifyApiKey"] = $"register_test-{serviceId}-{Guid.NewGuid()}",
            ["Email:NotifyTemplateId"] = "11111111-2222-3333-4444-555555555555",
            ["Email:NotifyBaseUrl"] = notify.Url,
        });
        await StartedEmptyAsync(register);

        Assert.True(await EnqueueAsync(register, new EmailNotice("invitation:42", "pat@example.ac.uk", "You’ve been invited", "Sign in")));
        Assert.Empty(await Mailbox.EmailsAsync(register));

        var (authorization, body) = Assert.Single(received);
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        Assert.Equal("pat@example.ac.uk", body.GetProperty("email_address").GetString());
        Assert.Equal("11111111-2222-3333-4444-555555555555", body.GetProperty("template_id").GetString());
        Assert.Equal("You’ve been invited", body.GetProperty("personalisation").GetProperty("subject").GetString());
        Assert.Equal("Sign in", body.GetProperty("personalisation").GetProperty("body").GetString());
        Assert.Equal("invitation:42", body.GetProperty("reference").GetString());
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", await connection.QuerySingleAsync<string>("SELECT sent_as FROM email.outbox WHERE sent_at IS NOT NULL"));
    }

    private static async Task<RegisterFactory> RegisterAsync() => await StartedEmptyAsync(Register(await DatabaseAsync()));

    private static Task<string> DatabaseAsync() => TestDatabase.ConnectionStringAsync("email_tests");

    /// <summary>Starts the Register (so the database is migrated) and empties the outbox of the tests before.</summary>
    private static async Task<RegisterFactory> StartedEmptyAsync(RegisterFactory register)
    {
        register.CreateClient().Dispose();
        await using var connection = new NpgsqlConnection(register.ConnectionString);
        await connection.ExecuteAsync("TRUNCATE email.outbox");
        return register;
    }

    /// <summary>A Register whose email worker runs only when a test asks (its first pass at start aside).</summary>
    private static RegisterFactory Register(string connectionString, string? mailbox = null) =>
        new(connectionString, new Dictionary<string, string?>
        {
            ["Email:PollInterval"] = "01:00:00",
            ["Email:MailboxPath"] = mailbox ?? Path.Combine(Path.GetTempPath(), "register-mailbox-" + Guid.NewGuid().ToString("N")),
        });

    private static async Task<bool> EnqueueAsync(RegisterFactory register, EmailNotice notice)
    {
        await using var connection = new NpgsqlConnection(register.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var written = await Emails.EnqueueAsync(tx, notice, DateTimeOffset.UtcNow, default);
        await tx.CommitAsync();
        return written;
    }

    private sealed class FakeNotify(WebApplication app) : IAsyncDisposable
    {
        public string Url => app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }

    /// <summary>A stand-in for GOV.UK Notify's send-an-email endpoint, over real HTTP, answering as Notify does.</summary>
    private static async Task<FakeNotify> FakeNotifyAsync(List<(string?, JsonElement)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v2/notifications/email", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            lock (received)
            {
                received.Add((request.Headers.Authorization.ToString(), body));
            }

            return Results.Json(new
            {
                id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                reference = body.GetProperty("reference").GetString(),
                content = new { body = "Sign in", subject = "You’ve been invited", from_email = "register@notifications.service.gov.uk" },
                uri = "https://api.notifications.service.gov.uk/v2/notifications/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                template = new { id = "11111111-2222-3333-4444-555555555555", version = 1, uri = "https://api.notifications.service.gov.uk/v2/templates/11111111-2222-3333-4444-555555555555" },
            }, statusCode: StatusCodes.Status201Created);
        });
        await app.StartAsync();
        return new FakeNotify(app);
    }
}
