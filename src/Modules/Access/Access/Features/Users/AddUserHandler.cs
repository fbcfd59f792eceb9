using System.Security.Cryptography;
using Dapper;
using Mediator;
using Microsoft.Extensions.Options;
using Register.Access.Contracts;
using Register.Access.Features.SignIn;
using Register.Access.Tokens;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.Users;

/// <summary>Answers <see cref="AddUser"/> (the <c>create-user</c> verb): the user, and a one-time link to set their password.</summary>
internal sealed class AddUserHandler(
    TransactionRunner transactions, UserDraftValidator validator, TokenHasher hasher, IOptions<SignInOptions> signIn, TimeProvider clock) : IRequestHandler<AddUser, AddedUser>
{
    public async ValueTask<AddedUser> Handle(AddUser request, CancellationToken cancellationToken)
    {
        if (request.Role is not (WebRoles.Support or WebRoles.ApiUser or WebRoles.Provider) || (request.Role == WebRoles.Provider) != (request.ProviderId is not null))
        {
            throw new ArgumentException($"--role must be {WebRoles.Support}, {WebRoles.ApiUser}, or {WebRoles.Provider} with --provider", nameof(request));
        }

        SignInLinks.Link? link = null;
        var outcome = await CreateUser.RunAsync(
            transactions, validator, new UserDraft(request.FirstName, request.LastName, request.Email, request.Role == WebRoles.ApiUser, true, request.ProviderId),
            request.SystemAdmin, Actor.CommandLine, clock, cancellationToken,
            async (tx, user) =>
            {
                if (signIn.Value.LocalSignInEnabled)
                {
                    link = await SignInLinks.CreateAsync(tx, hasher, signIn.Value, user.Id, Actor.CommandLine.Name, clock, cancellationToken);
                }
            });
        if (outcome.Value is not { } created)
        {
            throw new ArgumentException(string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Message}")), nameof(request));
        }

        return new AddedUser(created.Id, created.Name, created.Email, link?.Path, link?.ExpiresAt);
    }
}

/// <summary>
/// Answers <see cref="SeedDemoUsers"/>: a demo support user (a system admin) and a demo API user, each given a new
/// random password this run, and three colleagues, so the minimum-active-users rule leaves room to try deactivation;
/// with a provider, a demo provider user of it (given a new password too).
/// </summary>
internal sealed class SeedDemoUsersHandler(TransactionRunner transactions, UserDraftValidator validator, Passwords passwords, TimeProvider clock)
    : IRequestHandler<SeedDemoUsers, IReadOnlyList<DemoUser>>
{
    /// <summary>The demo provider user's address: not a DfE one, as a provider's people have their own.</summary>
    public const string DemoProviderEmail = "demo.provider@example.ac.uk";

    private static readonly (string First, string Last, string Email, bool Api, bool Admin, bool Password)[] People =
    [
        ("Demo", "Support", "demo.support@education.gov.uk", false, true, true),
        ("Demo", "API user", "demo.api@education.gov.uk", true, false, true),
        ("Priya", "Shah", "priya.shah@education.gov.uk", false, false, false),
        ("Tom", "Okafor", "tom.okafor@education.gov.uk", false, false, false),
        ("Ama", "Mensah", "ama.mensah@education.gov.uk", false, false, false),
    ];

    public async ValueTask<IReadOnlyList<DemoUser>> Handle(SeedDemoUsers request, CancellationToken cancellationToken)
    {
        var actor = Actor.SystemTask("Demo data");
        var seeded = new List<DemoUser>();
        var people = People.Select(p => (p.First, p.Last, p.Email, p.Api, p.Admin, p.Password, ProviderId: (Guid?)null)).ToList();
        if (request.ProviderId is { } providerId)
        {
            people.Add(("Demo", "Provider", DemoProviderEmail, false, false, true, providerId));
        }

        foreach (var person in people)
        {
            var user = await transactions.RunAsync(AccessModule.Schema, tx => User.FindByEmailAsync(tx.Connection!, person.Email, tx, cancellationToken), cancellationToken);
            if (user is not null && person.ProviderId is { } provider && user.ProviderId != provider)
            {
                // The demo's provider changed since the last run (new data): the demo provider user moves with it.
                await transactions.RunAsync(AccessModule.Schema, tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE access.users SET provider_id = @provider, role = 'provider' WHERE id = @Id", new { provider, user.Id }, tx, cancellationToken: cancellationToken)), cancellationToken);
                user = user with { ProviderId = provider, Role = WebRoles.Provider };
            }

            if (user is null)
            {
                var outcome = await CreateUser.RunAsync(
                    transactions, validator, new UserDraft(person.First, person.Last, person.Email, person.Api, true, person.ProviderId), person.Admin, actor, clock, cancellationToken);
                user = outcome.Value ?? throw new InvalidOperationException(string.Join("; ", outcome.Errors.Select(e => e.Message)));
            }

            string? password = null;
            if (person.Password)
            {
                password = string.Join('-', Enumerable.Range(0, 4).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant()));
                await transactions.RunAsync(AccessModule.Schema, tx => tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE access.users SET password_hash = @hash, active = true, failed_sign_ins = 0, locked_until = NULL WHERE id = @Id",
                    new { hash = passwords.Hash(password), user.Id }, tx, cancellationToken: cancellationToken)), cancellationToken);
            }

            seeded.Add(new DemoUser(user.Name, user.Email, user.IsProviderUser ? "provider user" : user.IsApiUser ? "API user" : "support user", password));
        }

        return seeded;
    }
}
