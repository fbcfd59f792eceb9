using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Notify.Client;

namespace Register.BuildingBlocks.Email;

/// <summary>
/// <c>Email:*</c>. With <see cref="NotifyApiKey"/> and <see cref="NotifyTemplateId"/>, emails go through GOV.UK Notify;
/// otherwise they are written to <see cref="MailboxPath"/>, a folder the demo and the tests read.
/// </summary>
public sealed class EmailOptions
{
    /// <summary>A GOV.UK Notify API key (a secret: give it through the environment, <c>Email__NotifyApiKey</c>).</summary>
    public string? NotifyApiKey { get; set; }

    /// <summary>The Notify email template every notice uses: its subject is <c>((subject))</c> and its body <c>((body))</c>.</summary>
    public string? NotifyTemplateId { get; set; }

    /// <summary>Notify's API (its default, or a test's server).</summary>
    public string NotifyBaseUrl { get; set; } = "https://api.notifications.service.gov.uk";

    /// <summary>The folder emails are written to when Notify is not configured (relative paths from the working folder).</summary>
    public string MailboxPath { get; set; } = Path.Combine(".data", "mailbox");

    /// <summary>How often the worker looks for emails to send (it is also woken after each change that writes one).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The address links in emails start with: <c>Web:BaseUrl</c> when set.</summary>
    public string ServiceUrl { get; set; } = "http://127.0.0.1:5080";

    public bool UsesNotify => !string.IsNullOrWhiteSpace(NotifyApiKey) && !string.IsNullOrWhiteSpace(NotifyTemplateId);
}

/// <summary>The email port: sends one email, or throws; returns what the sender calls it (an id or a file name).</summary>
public interface IEmailSender
{
    string Name { get; }

    Task<string> SendAsync(EmailNotice email, CancellationToken ct);
}

/// <summary>Sends through GOV.UK Notify (the <c>GovukNotify</c> client), with one template whose subject and body are personalised.</summary>
internal sealed class NotifyEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    private readonly NotificationClient _client = new(options.Value.NotifyBaseUrl, options.Value.NotifyApiKey);

    public string Name => "GOV.UK Notify";

    public async Task<string> SendAsync(EmailNotice email, CancellationToken ct)
    {
        var response = await _client.SendEmailAsync(
            email.To, options.Value.NotifyTemplateId,
            new Dictionary<string, dynamic> { ["subject"] = email.Subject, ["body"] = email.Body },
            clientReference: email.Key);
        return response.id;
    }
}

/// <summary>
/// Writes each email as a file in the mailbox folder (<c>{time}-{key}.txt</c>: To, Subject, a blank line, the body), for
/// installs without Notify: the demo prints where it is, and the tests read it.
/// </summary>
internal sealed class MailboxEmailSender(IOptions<EmailOptions> options, TimeProvider clock) : IEmailSender
{
    public string Name => $"mailbox {Path.GetFullPath(options.Value.MailboxPath)}";

    public async Task<string> SendAsync(EmailNotice email, CancellationToken ct)
    {
        Directory.CreateDirectory(options.Value.MailboxPath);
        var safeKey = new string(email.Key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        var name = $"{clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)}-{safeKey}.txt";
        var text = new StringBuilder()
            .Append("To: ").Append(email.To).Append('\n')
            .Append("Subject: ").Append(email.Subject).Append('\n')
            .Append("Notice: ").Append(email.Key).Append('\n')
            .Append('\n')
            .Append(email.Body).Append('\n')
            .ToString();
        // Written whole, then moved into place, so a reader never sees half an email.
        var path = Path.Combine(options.Value.MailboxPath, name);
        await File.WriteAllTextAsync(path + ".tmp", text, ct);
        File.Move(path + ".tmp", path, overwrite: true);
        return name;
    }
}
