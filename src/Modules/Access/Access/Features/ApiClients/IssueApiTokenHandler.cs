using Mediator;
using Register.Access.Contracts;
using Register.Access.Tokens;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;

namespace Register.Access.Features.ApiClients;

/// <summary>Answers <see cref="IssueApiToken"/>: the same rules and creation as the support endpoint, by the system.</summary>
internal sealed class IssueApiTokenHandler(TransactionRunner transactions, TokenHasher hasher, TimeProvider clock)
    : IRequestHandler<IssueApiToken, IssuedToken>
{
    public async ValueTask<IssuedToken> Handle(IssueApiToken request, CancellationToken cancellationToken)
    {
        var create = new CreateApiClient.CreateApiClientRequest(request.Name, request.Audience, request.OrganisationId, request.ExpiresOn);
        var validation = await new CreateApiClient.Validator(clock).ValidateAsync(create, cancellationToken);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join("; ", validation.Errors.Select(e => e.ErrorMessage)), nameof(request));
        }

        var issued = await CreateApiClient.IssueAsync(transactions, hasher, clock, create, Actor.CommandLine, cancellationToken);
        if (issued is not { Client: { } client, Token: { } token })
        {
            throw new ArgumentException(issued.Refusal?.Message, nameof(request));
        }

        return new IssuedToken(client.Id, client.Name, client.Audience, client.ExpiresOn, token);
    }
}
