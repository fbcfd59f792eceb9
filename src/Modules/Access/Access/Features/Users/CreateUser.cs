using Dapper;
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

namespace Register.Access.Features.Users;

/// <summary>
/// <c>POST /support/users</c>: a support user or API user (<c>api_user</c>), active unless said otherwise. The pages'
/// "Add user" journey saves through <see cref="RunAsync"/> too.
/// </summary>
internal static class CreateUser
{
    internal sealed record CreateUserRequest(string? FirstName, string? LastName, string? Email, bool? ApiUser, bool? Active);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/users", HandleAsync)
            .WithName("CreateUser")
            .WithSummary("Add a support user or API user")
            .Produces<UserEnvelope>(StatusCodes.Status201Created)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        CreateUserRequest request, HttpContext http, TransactionRunner transactions, UserDraftValidator validator, TimeProvider clock, CancellationToken ct)
    {
        var draft = new UserDraft(request.FirstName, request.LastName, request.Email, request.ApiUser, request.Active ?? true);
        var outcome = await RunAsync(transactions, validator, draft, systemAdmin: false, http.Caller().Actor, clock, ct);
        return outcome.ToApiResult(user => TypedResults.Created($"/support/users/{user.Id}", new UserEnvelope(UserResponse.From(user))));
    }

    /// <summary>The rules' errors for a new user, the email's uniqueness included.</summary>
    public static async Task<IReadOnlyList<ApiError>> ErrorsAsync(NpgsqlConnection connection, UserDraftValidator validator, UserDraft draft, Guid? except, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var errors = validator.Validate(draft).Errors.Select(e => new ApiError(e.PropertyName, e.ErrorMessage)).ToList();
        if (!errors.Any(e => e.Field == "email") && draft.Email is { } email && await User.FindByEmailAsync(connection, email, tx, ct) is { } other && other.Id != except)
        {
            errors.Add(new ApiError("email", UserMessages.EmailTaken));
        }

        return errors;
    }

    public static async Task<Outcome<User>> RunAsync(
        TransactionRunner transactions, UserDraftValidator validator, UserDraft request, bool systemAdmin, Actor actor, TimeProvider clock, CancellationToken ct,
        Func<NpgsqlTransaction, User, Task>? afterwards = null)
    {
        var draft = request.Normalised();
        try
        {
            return await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                var errors = await ErrorsAsync(tx.Connection!, validator, draft, null, tx, ct);
                if (errors.Count > 0)
                {
                    return (Outcome<User>)ApiErrors.Unprocessable(errors);
                }

                var now = clock.UtcNowForDatabase();
                var user = new User
                {
                    Id = Guid.CreateVersion7(now),
                    FirstName = draft.FirstName!,
                    LastName = draft.LastName!,
                    Email = draft.Email!,
                    Role = draft.ProviderId is not null ? WebRoles.Provider : draft.ApiUser == true ? WebRoles.ApiUser : WebRoles.Support,
                    SystemAdmin = systemAdmin && draft.ApiUser != true && draft.ProviderId is null,
                    ProviderId = draft.ProviderId,
                    Active = draft.Active ?? true,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO access.users (id, first_name, last_name, email, role, system_admin, active, created_at, updated_at, provider_id)
                    VALUES (@Id, @FirstName, @LastName, @Email, @Role, @SystemAdmin, @Active, @CreatedAt, @UpdatedAt, @ProviderId)
                    """,
                    user, tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, user.Changed(RecordActions.Created, actor, now, null), ct);
                if (afterwards is not null)
                {
                    await afterwards(tx, user);
                }

                return user;
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "users_email_key")
        {
            return ApiErrors.Unprocessable([new ApiError("email", UserMessages.EmailTaken)]);
        }
    }
}
