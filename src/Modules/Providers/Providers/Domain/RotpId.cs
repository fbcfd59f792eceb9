using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Register.Providers.Domain;

/// <summary>
/// The public RoTP Id, <c>RoTP-</c> + YY + letter + digit + letter + letter + MM (e.g. <c>RoTP-26V6KK09</c>),
/// derived as the reference does: from SHA-256 of <c>"{operating_name}|{onboarded_on}-{attempt}"</c>, taking
/// 8-hex-digit chunks; YY and MM are the onboarding date's. Set once, never changed.
/// </summary>
internal static class RotpId
{
    public const int MaxAttempts = 10;

    public static string Generate(string operatingName, DateOnly onboardedOn, int attempt)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{operatingName}|{onboardedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{attempt}")));
        long Chunk(int i) => long.Parse(digest.AsSpan(i * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        char Letter(int i) => (char)('A' + (Chunk(i) % 26));
        return string.Create(CultureInfo.InvariantCulture,
            $"RoTP-{onboardedOn.Year % 100:00}{Letter(1)}{Chunk(0) % 10}{Letter(3)}{Letter(4)}{onboardedOn.Month:00}");
    }
}
