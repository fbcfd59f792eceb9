using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.ApiClients;

/// <summary><c>PATCH /support/api-clients/{id}</c> with <c>{"name": "..."}</c>: renames a client.</summary>
internal static class RenameApiClient
{
    internal sealed record RenameApiClientRequest(string? Name);

    internal sealed class Validator : AbstractValidator<RenameApiClientRequest>
    {
        public Validator() =>
            RuleFor(r => r.Name).NotEmpty().WithMessage("name can't be blank")
                .MaximumLength(CreateApiClient.MaxNameLength).WithMessage($"name is too long (maximum is {CreateApiClient.MaxNameLength} characters)")
                .PlainText("name");
    }

    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/api-clients/{id:guid}", HandleAsync)
            .Validate<RenameApiClientRequest>()
            .WithName("RenameApiClient")
            .WithSummary("Rename an API client")
            .Produces<ApiClientEnvelope>()
            .Produces(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(
        Guid id, RenameApiClientRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, id, request.Name!, http.Caller().Actor, clock, ct);
        return outcome.ToApiResult(client => TypedResults.Ok(new ApiClientEnvelope(client.ToResponse(clock))));
    }

    /// <summary>Renames the client (a valid name, checked by <see cref="Validator"/>); a name another client has is a 422 on <c>name</c>.</summary>
    public static async Task<Outcome<ApiClient>> RunAsync(TransactionRunner transactions, Guid id, string newName, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var name = newName.Trim();
        try
        {
            return await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                var client = await ApiClient.FindAsync(tx.Connection!, id, tx, ct);
                if (client is null)
                {
                    return (Outcome<ApiClient>)ApiErrors.NotFound("API client not found");
                }

                if (client.Name == name)
                {
                    return client;
                }

                var now = clock.UtcNowForDatabase();
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE access.api_clients SET name = @name, updated_at = @now WHERE id = @id", new { id, name, now }, tx, cancellationToken: ct));
                var updated = client with { Name = name, UpdatedAt = now };
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, updated.Changed(RecordActions.Updated, actor, now, [new FieldChange("name", client.Name, name)]), ct);
                return updated;
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "api_clients_name_key")
        {
            return ApiErrors.Unprocessable([new ApiError("name", CreateApiClient.NameTaken(name))]);
        }
    }
}
