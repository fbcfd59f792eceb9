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
            RuleFor(r => r.ExpiresOn).Must((r, d) => d is null || ExpiryRule.IsAllowed(r.Audience, d.Value, clock.TodayInLondon()))
                .WithMessage(r => ExpiryRule.Message(r.Audience));
        }
    }

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/api-clients", HandleAsync)
            .Validate<CreateApiClientRequest>()
            .WithName("CreateApiClient")
            .WithSummary("Create an API client and its token")
            .WithDescription("The token is in this answer only; Register keeps just its keyed hash.")
            .Produces<ApiClientEnvelope>(StatusCodes.Status201Created)
            .WithRequestExample(new CreateApiClientRequest("Acme SRS", ApiAudiences.TraineesApi, Guid.Parse("5f2b1c3d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"), new DateOnly(2027, 6, 5)));

    private static async Task<IResult> HandleAsync(
        CreateApiClientRequest request, HttpContext http, TransactionRunner transactions, TokenHasher hasher, TimeProvider clock, CancellationToken ct)
    {
        var issued = await IssueAsync(transactions, hasher, clock, request, http.Caller().Actor, ct);
        return issued switch
        {
            { Refusal: { } refusal } => ApiErrors.Unprocessable([refusal]),
            { Client: { } client, Token: { } token } => TypedResults.Created($"/support/api-clients/{client.Id}", new ApiClientEnvelope(client.ToResponse(clock, token))),
            _ => throw new InvalidOperationException("An issued client has a client and a token, or a refusal."),
        };
    }

    /// <summary>The client made and its token, or why it was not made (its name is taken, or its provider has its two trainee tokens).</summary>
    internal sealed record Issued(ApiClient? Client, string? Token, ApiError? Refusal);

    public static string NameTaken(string name) => $"name has already been taken: another API client is called '{name}'";

    /// <summary>A training provider has at most this many live trainee API tokens, as in the reference.</summary>
    public const int MaxLiveTraineeTokens = 2;

    /// <summary>Creates the client, unless its name is taken or its provider already has its two live trainee tokens.</summary>
    internal static async Task<Issued> IssueAsync(
        TransactionRunner transactions, TokenHasher hasher, TimeProvider clock, CreateApiClientRequest request, Actor actor, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        var token = hasher.NewApiToken();
        var client = new ApiClient
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name!.Trim(),
            Audience = request.Audience!,
            OrganisationId = request.OrganisationId,
            ExpiresOn = request.ExpiresOn ?? ExpiryRule.Default(request.Audience!, clock.TodayInLondon()),
            CreatedAt = now,
            CreatedByName = actor.Name,
            UpdatedAt = now,
        };

        try
        {
            var refusal = await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                if (client.Audience == ApiAudiences.TraineesApi)
                {
                    // One writer at a time per provider, so two requests at once cannot both take the last place.
                    await tx.Connection!.ExecuteAsync(new CommandDefinition(
                        "SELECT pg_advisory_xact_lock(hashtextextended('trainee-tokens:' || @OrganisationId::text, 0))", new { client.OrganisationId }, tx, cancellationToken: ct));
                    var live = await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
                        """
                        SELECT count(*)::int FROM access.api_clients
                        WHERE audience = 'trainees_api' AND organisation_id = @OrganisationId AND revoked_at IS NULL AND deleted_at IS NULL AND expires_on >= @today
                        """,
                        new { client.OrganisationId, today = clock.TodayInLondon() }, tx, cancellationToken: ct));
                    if (live >= MaxLiveTraineeTokens)
                    {
                        return new ApiError("organisation_id",
                            $"organisation_id already has {MaxLiveTraineeTokens} active trainees_api clients: revoke one before creating another");
                    }
                }

                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO access.api_clients
                        (id, name, audience, organisation_id, token_hash, expires_on, created_at, created_by_name, created_by_id, updated_at)
                    VALUES (@Id, @Name, @Audience, @OrganisationId, @TokenHash, @ExpiresOn, @CreatedAt, @CreatedByName, @CreatedById, @UpdatedAt)
                    """,
                    new
                    {
                        client.Id,
                        client.Name,
                        client.Audience,
                        client.OrganisationId,
                        TokenHash = hasher.Hash(token),
                        client.ExpiresOn,
                        client.CreatedAt,
                        client.CreatedByName,
                        CreatedById = actor.Id,
                        client.UpdatedAt,
                    },
                    tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, client.Changed(RecordActions.Created, actor, now,
                [
                    new FieldChange("name", null, client.Name),
                    new FieldChange("audience", null, client.Audience),
                    new FieldChange("organisation_id", null, client.OrganisationId?.ToString()),
                    new FieldChange("expires_on", null, client.ExpiresOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ]), ct);
                return (ApiError?)null;
            }, ct);
            return refusal is null ? new Issued(client, token, null) : new Issued(null, null, refusal);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "api_clients_name_key")
        {
            return new Issued(null, null, new ApiError("name", NameTaken(client.Name)));
        }
    }
}

/// <summary>
/// A client's expiry: from today to twelve months ahead, and the most when not given; a trainee API token (an SRS vendor's,
/// as the reference issues them) at most six months. Valid through the end of that day.
/// </summary>
internal static class ExpiryRule
{
    public static int MaxMonths(string? audience) => audience == ApiAudiences.TraineesApi ? 6 : 12;

    public static string Message(string? audience) => $"expires_on must be a date from today to {MaxMonths(audience)} months from today";

    public static DateOnly Default(string audience, DateOnly today) => today.AddMonths(MaxMonths(audience));

    public static bool IsAllowed(string? audience, DateOnly expiresOn, DateOnly today) => expiresOn >= today && expiresOn <= today.AddMonths(MaxMonths(audience));
}
