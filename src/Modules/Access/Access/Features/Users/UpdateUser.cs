using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;

namespace Register.Access.Features.Users;

/// <summary>
/// <c>PATCH /support/users/{id}</c> (a support or API user; 404 for a provider user): changes the fields given. No one changes their own account or a system admin's
/// (403); once a user has signed in only <c>api_user</c> and <c>active</c> change; deactivating keeps at least the
/// minimum of active users (409), ends the user's sessions and revokes their API clients' tokens.
/// </summary>
internal static class UpdateUser
{
    internal sealed record UpdateUserRequest(string? FirstName, string? LastName, string? Email, bool? ApiUser, bool? Active);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/users/{id:guid}", HandleAsync)
            .WithName("UpdateUser")
            .WithSummary("Change a user's details, role or status")
            .Produces<UserEnvelope>()
            .Produces(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid id, UpdateUserRequest request, HttpContext http, TransactionRunner transactions, UserDraftValidator validator, IOptions<UserOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, validator, options.Value, id, request, http.Caller().Actor, null, clock, ct);
        return outcome.ToApiResult(user => TypedResults.Ok(new UserEnvelope(UserResponse.From(user))));
    }

    /// <summary>A refusal when <paramref name="actingUserId"/> (the signed-in person) or anyone may not change <paramref name="user"/>.</summary>
    public static ApiErrorResult? Forbidden(User user, Guid? actingUserId) =>
        user.SystemAdmin || user.Id == actingUserId ? ApiErrors.Result(StatusCodes.Status403Forbidden, UserMessages.NotAllowed) : null;

    public static async Task<Outcome<User>> RunAsync(
        TransactionRunner transactions, UserDraftValidator validator, UserOptions options, Guid id, UpdateUserRequest request, Actor actor, Guid? actingUserId,
        TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return await transactions.RunAsync(AccessModule.Schema, async tx =>
            {
                var before = await User.FindSupportAsync(tx.Connection!, id, tx, ct);
                if (before is null)
                {
                    return (Outcome<User>)ApiErrors.NotFound("User not found");
                }

                if (Forbidden(before, actingUserId) is { } forbidden)
                {
                    return forbidden;
                }

                var draft = new UserDraft(
                    request.FirstName ?? before.FirstName, request.LastName ?? before.LastName, request.Email ?? before.Email,
                    request.ApiUser ?? before.IsApiUser, request.Active ?? before.Active).Normalised();
                var errors = (await CreateUser.ErrorsAsync(tx.Connection!, validator, draft, before.Id, tx, ct)).ToList();
                if (before.HasSignedIn)
                {
                    if (draft.FirstName != before.FirstName)
                    {
                        errors.Add(new ApiError("first_name", $"First name {UserMessages.SignedInFieldsLocked}"));
                    }

                    if (draft.LastName != before.LastName)
                    {
                        errors.Add(new ApiError("last_name", $"Last name {UserMessages.SignedInFieldsLocked}"));
                    }

                    if (draft.Email != before.Email)
                    {
                        errors.Add(new ApiError("email", $"Email address {UserMessages.SignedInFieldsLocked}"));
                    }
                }

                if (errors.Count > 0)
                {
                    return ApiErrors.Unprocessable(errors);
                }

                var deactivating = before.Active && draft.Active == false;
                if (deactivating && await ActiveUsers.RefusalAsync(tx, before.Id, options.MinimumActiveUsers, ct) is { } refusal)
                {
                    return refusal;
                }

                var now = clock.UtcNowForDatabase();
                var after = before with
                {
                    FirstName = draft.FirstName!,
                    LastName = draft.LastName!,
                    Email = draft.Email!,
                    Role = draft.ApiUser == true ? WebRoles.ApiUser : WebRoles.Support,
                    Active = draft.Active!.Value,
                    UpdatedAt = now,
                };
                if (after.Fields() == before.Fields())
                {
                    return before;
                }

                await tx.Connection!.ExecuteAsync(new CommandDefinition(
                    "UPDATE access.users SET first_name = @FirstName, last_name = @LastName, email = @Email, role = @Role, active = @Active, updated_at = @UpdatedAt WHERE id = @Id",
                    after, tx, cancellationToken: ct));
                await Outbox.EnqueueAsync(tx, AccessModule.Schema, after.Changed(RecordActions.Updated, actor, now, before), ct);
                if (deactivating)
                {
                    await ActiveUsers.WithdrawAccessAsync(tx, before.Id, deleteClients: false, actor, clock, ct);
                }

                return after;
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "users_email_key")
        {
            return ApiErrors.Unprocessable([new ApiError("email", UserMessages.EmailTaken)]);
        }
    }
}
