using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Register.Access.Features.SignIn;

/// <summary>
/// Passwords for Register's own sign-in, kept only as <c>pbkdf2-sha256$iterations$salt$hash</c> (PBKDF2-HMAC-SHA256, a
/// 16-byte random salt, a 32-byte key). A hash records its iteration count, so raising the count later leaves old
/// hashes working.
/// </summary>
internal sealed class Passwords(IOptions<SignInOptions> options)
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;
    private const string Scheme = "pbkdf2-sha256";

    // Verified when no account matches, so an unknown email address takes as long as a wrong password.
    private readonly Lazy<string> _decoy = new(() => new Passwords(options).Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    public string Hash(string password)
    {
        var iterations = options.Value.PasswordIterations;
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    public bool Verify(string password, string? stored)
    {
        var parts = (stored ?? _decoy.Value).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return stored is not null && CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>What is wrong with a new password, or null: long enough, not too long, not the email address, typed the same twice.</summary>
    public static (string Field, string Message)? Problem(string? password, string? confirmation, string email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return ("password", "Enter a password");
        }

        if (password.Length < MinimumLength)
        {
            return ("password", $"Your password must be at least {MinimumLength} characters");
        }

        if (password.Length > MaximumLength)
        {
            return ("password", $"Your password must be {MaximumLength} characters or fewer");
        }

        if (password.Trim().Equals(email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return ("password", "Your password must not be your email address");
        }

        return password == confirmation ? null : ("password_confirmation", "The passwords do not match");
    }
}
