using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Register.BuildingBlocks.Database;

namespace Register.Access.Tokens;

/// <summary>
/// Makes tokens and their keyed hashes. A token is <c>rg_</c> and 32 random bytes in base64url (256 bits);
/// the database keeps only HMAC-SHA256(key, token), so a copy of the database alone cannot be used to
/// call the APIs. The key is <c>Tokens:HashKey</c> (base64, 32 bytes or more); with the project-local
/// database and no key configured, one is made and kept beside that database. In sandbox mode
/// (<c>Sandbox:Enabled</c>) an API token starts with the environment's name, <c>sandbox_rg_</c>, as the reference's
/// tokens start with theirs (<c>sandbox_…</c>), so that no one takes a sandbox token for a live one (ADR 19).
/// </summary>
internal sealed class TokenHasher
{
    public const string Prefix = "rg_";

    /// <summary>What an API token issued in sandbox mode starts with.</summary>
    public const string SandboxPrefix = "sandbox_" + Prefix;

    private readonly byte[] _key;

    public TokenHasher(IConfiguration configuration, RegisterDatabase database)
    {
        ApiTokenPrefix = configuration.GetValue<bool>("Sandbox:Enabled") ? SandboxPrefix : Prefix;
        var configured = configuration["Tokens:HashKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _key = Convert.FromBase64String(configured);
        }
        else if (database.Embedded is { } embedded)
        {
            _key = LoadOrCreateKeyFile(Path.Combine(embedded.ClusterDirectory, "token-hash.key"));
        }
        else
        {
            throw new InvalidOperationException(
                "Tokens:HashKey is not configured. Set Tokens__HashKey to a random base64 key of 32 bytes or more " +
                "(for example: openssl rand -base64 32); changing it later invalidates every token.");
        }

        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Tokens:HashKey must be at least 32 bytes (base64 of 32 random bytes).");
        }
    }

    /// <summary>What every API token this instance issues starts with: <c>rg_</c>, or <c>sandbox_rg_</c> in sandbox mode.</summary>
    public string ApiTokenPrefix { get; }

    /// <summary>A new API token (a client's secret).</summary>
    public string NewApiToken() => ApiTokenPrefix + NewSecret();

    /// <summary>A new secret of 256 random bits with Register's prefix: a sign-in link's, say.</summary>
    public static string NewToken() => Prefix + NewSecret();

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public byte[] Hash(string token) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(token));

    private static byte[] LoadOrCreateKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
