using Dapper;
using Npgsql;

namespace Register.Access.Features.SignIn;

/// <summary>
/// Wrong passwords, counted per account in one atomic statement (so guesses in parallel all count): the
/// <c>SignIn:MaxFailedAttempts</c>th in a row locks the account for <c>SignIn:LockoutPeriod</c>. A sign-in resets the count.
/// </summary>
internal static class FailedAttempts
{
    public static string Message(SignInOptions settings) =>
        $"Enter a correct email address and password. After {settings.MaxFailedAttempts} wrong passwords in a row, an account is locked for {settings.LockoutPeriod.TotalMinutes:0} minutes.";

    /// <summary>Counts one wrong password; true when it locks the account.</summary>
    public static Task<bool> CountAsync(NpgsqlConnection connection, Guid userId, SignInOptions settings, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            UPDATE access.users
            SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END
            WHERE id = @userId
            RETURNING locked_until = @until
            """,
            new { userId, max = settings.MaxFailedAttempts, until = now + settings.LockoutPeriod }, cancellationToken: ct));
}
