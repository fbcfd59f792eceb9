using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Email;

namespace Register.TestKit;

/// <summary>An email as the mailbox sender wrote it: the file's To, Subject and Notice lines, and the body.</summary>
public sealed record MailboxEmail(string File, string To, string Subject, string Notice, string Body);

/// <summary>The emails a Register in a test sent: its email worker is run, then its mailbox folder read.</summary>
public static class Mailbox
{
    /// <summary>Sends what is due now (as the background worker would), then reads every email in the mailbox, oldest first.</summary>
    public static async Task<IReadOnlyList<MailboxEmail>> EmailsAsync(RegisterFactory factory)
    {
        await factory.Services.GetRequiredService<EmailWorker>().SendDueAsync(CancellationToken.None);
        return Read(factory.MailboxPath);
    }

    public static IReadOnlyList<MailboxEmail> Read(string folder) =>
        !Directory.Exists(folder)
            ? []
            : Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal).Select(file =>
            {
                var text = File.ReadAllText(file);
                var split = text.IndexOf("\n\n", StringComparison.Ordinal);
                var headers = text[..split].Split('\n').Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
                return new MailboxEmail(Path.GetFileName(file), headers["To"], headers["Subject"], headers["Notice"], text[(split + 2)..].TrimEnd('\n'));
            }).ToList();
}
