using System.Text.RegularExpressions;

namespace Register.Trainees.Domain;

/// <summary>
/// The email address check the reference takes from GOV.UK Notify: a plain local part, no "..", at most 320 characters,
/// and a host name of at least two labels (each at most 63 characters) under a real-looking top-level domain.
/// </summary>
internal static partial class EmailAddress
{
    public static bool IsValid(string email)
    {
        var match = Address().Match(email);
        if (!match.Success || email.Length > 320 || email.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var host = match.Groups[1].Value;
        var labels = host.Split('.');
        return host.Length <= 253
            && labels.Length >= 2
            && labels.All(l => l.Length <= 63 && Label().IsMatch(l))
            && TopLevelDomain().IsMatch(labels[^1]);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)$")]
    private static partial Regex Address();

    [GeneratedRegex("^(xn-|[a-z0-9]+)(-[a-z0-9]+)*$", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex("^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$")]
    private static partial Regex TopLevelDomain();
}
