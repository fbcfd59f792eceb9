using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Tokens;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiClients;

/// <summary>
/// <c>POST /support/api-clients</c>: a new API client for one audience, with its token in the answer
/// (shown once). Trainee and lead provider tokens are scoped to one organisation.
/// </summary>
internal static class CreateApiClient
{
    public const int MaxNameLength = 200;

    internal sealed record CreateApiClientRequest(string? Name, string? Audience, Guid? OrganisationId, DateOnly? ExpiresOn);

    internal sealed class Validator : AbstractValidator<CreateApiClientRequest>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("name can't be blank")
                .MaximumLength(MaxNameLength).WithMessage($"name is too long (maximum is {MaxNameLength} characters)")
                .PlainText("name");
            RuleFor(r => r.Audience).NotEmpty().WithMessage("audience can't be blank");
            RuleFor(r => r.Audience).Must(a => ApiAudiences.All.Contains(a)).When(r => !string.IsNullOrEmpty(r.Audience))
                .WithMessage($"audience is not included in the list ({string.Join(", ", ApiAudiences.All)})");
            RuleFor(r => r.OrganisationId).NotNull().When(r => r.Audience is not null && ApiAudiences.IsScopedToOrganisation(r.Audience))
                .WithMessage("organisation_id is required for trainees_api and lead_provider_api clients");
            RuleFor(r => r.OrganisationId).Null().When(r => r.Audience is ApiAudiences.Support or ApiAudiences.ProvidersApi)
                .WithMessage("organisation_id must be blank for support and providers_api clients");
            RuleFor(r => r.ExpiresOn).Must(d => d is null || ExpiryRule.IsAllowed(d.Value, clock.TodayInLondon()))
                .WithMessage(ExpiryRule.Message);
        }
    }

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/api-clients", HandleAsync)
            .Validate<CreateApiClientRequest>()
            .WithName("CreateApiClient")
            .WithSummary("Create an API client and its token")
            .WithDescription("The token is in this answer only; Register keeps just its keyed hash.")
            .Produces<ApiClientEnvelope>(StatusCodes.Status201Created);

    private static async Task<IResult> HandleAsync(
        CreateApiClientRequest request, HttpContext http, TransactionRunner transactions, TokenHasher hasher, TimeProvider clock, CancellationToken ct)
    {
        var issued = await IssueAsync(transactions, hasher, clock, request, http.Caller().Actor, ct);
        return issued is null
            ? ApiErrors.Unprocessable([new ApiError("name", $"name has already been taken: another API client is called '{request.Name}'")])
            : TypedResults.Created($"/support/api-clients/{issued.Value.Client.Id}", new ApiClientEnvelope(issued.Value.Client.ToResponse(clock, issued.Value.Token)));
    }

    /// <summary>Creates the client; null when its name is taken.</summary>
    internal static async Task<(ApiClient Client, string Token)?> IssueAsync(
        TransactionRunner transactions, TokenHasher hasher, TimeProvider clock, CreateApiClientRequest request, Actor actor, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        var token = TokenHasher.NewToken();
        var client = new ApiClient
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name!.Trim(),
            Audience = request.Audience!,
            OrganisationId = request.OrganisationId,
            ExpiresOn = request.ExpiresOn ?? ExpiryRule.Default(clock.TodayInLondon()),
            CreatedAt = now,
            CreatedByName = actor.Name,
            UpdatedAt = now,
        };

        try
        {
            await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO access.api_clients
                        (id, name, audience, organisation_id, token_hash, expires_on, created_at, created_by_name, created_by_id, updated_at)
                    VALUES (@Id, @Name, @Audience, @OrganisationId, @TokenHash, @ExpiresOn, @CreatedAt, @CreatedByName, @CreatedById, @UpdatedAt)
                    """,
                    new
                    {
                        client.Id, client.Name, client.Audience, client.OrganisationId, TokenHash = hasher.Hash(token), client.ExpiresOn,
                        client.CreatedAt, client.CreatedByName, CreatedById = actor.Id, client.UpdatedAt,
                    },
                    tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, client.Changed(RecordActions.Created, actor, now,
                [
                    new FieldChange("name", null, client.Name),
                    new FieldChange("audience", null, client.Audience),
                    new FieldChange("organisation_id", null, client.OrganisationId?.ToString()),
                    new FieldChange("expires_on", null, client.ExpiresOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ]), ct);
                return true;
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "api_clients_name_key")
        {
            return null;
        }

        return (client, token);
    }
}

/// <summary>A client's expiry: from today to twelve months ahead; twelve months when not given. Valid through the end of that day.</summary>
internal static class ExpiryRule
{
    public const string Message = "expires_on must be a date from today to 12 months from today";

    public static DateOnly Default(DateOnly today) => today.AddMonths(12);

    public static bool IsAllowed(DateOnly expiresOn, DateOnly today) => expiresOn >= today && expiresOn <= today.AddMonths(12);
}
