using Microsoft.Extensions.Options;
using Npgsql;
using Register.Access.Features.SignIn;
using Register.Access.Features.Users;
using Register.Access.Tokens;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Email;
using Register.BuildingBlocks.Web;

namespace Register.Access.Features.ProviderUsers;

/// <summary>
/// The invitation email a provider user gets when a support user invites them (and again when one is resent): with
/// Register's own sign-in, a one-time link (a week) to set their password; with an identity provider, where to sign in.
/// Written to the email outbox in the transaction that adds the user or makes the link, then sent by the
/// <see cref="EmailWorker"/>, which <see cref="Wake"/> hurries.
/// </summary>
internal sealed class Invitations(TokenHasher hasher, IOptions<SignInOptions> signIn, IOptions<EmailOptions> email, EmailSecrets secrets, EmailWorker worker, TimeProvider clock)
{
    public const string Subject = "You’ve been invited to Register trainee teachers";

    /// <summary>The first invitation's notice key: sent once, however often it is written.</summary>
    public static string Key(Guid userId) => $"invitation:{userId}";

    /// <summary>A resent invitation's key: a new notice each time.</summary>
    public static string ResentKey(Guid userId, DateTimeOffset at) => $"invitation:{userId}:{at.ToUnixTimeMilliseconds()}";

    /// <summary>
    /// Makes the user a new sign-in link (replacing any unused one) when Register's own sign-in is on, and writes the
    /// invitation to the outbox; true when a link was made.
    /// </summary>
    public async Task<bool> EnqueueAsync(NpgsqlTransaction tx, User user, string providerName, string key, string invitedBy, CancellationToken ct)
    {
        var service = email.Value.ServiceUrl;
        string howToSignIn;
        string? protectedLink = null;
        if (signIn.Value.LocalSignInEnabled)
        {
            var link = await SignInLinks.CreateAsync(tx, hasher, signIn.Value, user.Id, invitedBy, clock, ct);
            // The link is a secret: the outbox keeps it protected, and the worker puts it in the body when it sends.
            protectedLink = secrets.Protect($"{service}{link.Path}");
            howToSignIn = $"""
                To set your password and sign in, use this link:

                {EmailNotice.SecretPlaceholder}

                The link works once and expires on {Formats.DateTime(link.ExpiresAt)}. If it has expired, ask the Department for Education's support team for a new invitation.

                After that, sign in at {service}/sign-in with your email address and password.
                """;
        }
        else
        {
            howToSignIn = $"""
                Sign in at {service}/sign-in with {signIn.Value.OpenIdConnect.DisplayName}, using this email address.
                """;
        }

        var body = $"""
            Dear {user.FirstName},

            You’ve been given an account for {providerName} on Register trainee teachers, the Department for Education's service for registering trainee teachers.

            {howToSignIn}

            If you were not expecting this email, you can ignore it.
            """;
        await Emails.EnqueueAsync(tx, new EmailNotice(key, user.Email, Subject, body, protectedLink), clock.UtcNowForDatabase(), ct);
        return signIn.Value.LocalSignInEnabled;
    }

    /// <summary>Tells the email worker there is something to send, once the transaction has committed.</summary>
    public void Wake() => worker.Wake();
}
