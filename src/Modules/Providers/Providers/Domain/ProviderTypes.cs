namespace Register.Providers.Domain;

internal static class ProviderTypes
{
    public const string Hei = "hei";
    public const string Scitt = "scitt";
    public const string School = "school";
    public const string Other = "other";

    public static readonly string[] All = [Hei, Scitt, School, Other];

    public const string Accredited = "accredited";
    public const string Unaccredited = "unaccredited";

    public static readonly string[] Statuses = [Accredited, Unaccredited];

    /// <summary>A SCITT is always accredited and a school never is; HEIs and others can be either.</summary>
    public static bool Allows(string type, string status) => status switch
    {
        Accredited => type is Hei or Scitt or Other,
        Unaccredited => type is Hei or School or Other,
        _ => false,
    };

    public static bool NeedsUrn(string? type) => type is School or Scitt;
}
