using System.Security.Cryptography;

namespace Register.Trainees.Domain;

/// <summary>Public ids of trainees, degrees and placements: 24 random base58 characters (no 0, O, I or l), about 140 bits.</summary>
internal static class Slugs
{
    public const int Length = 24;

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>Could this be a slug? Anything else is not looked up at all.</summary>
    public static bool IsWellFormed(string? slug) => slug is { Length: Length } && slug.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
