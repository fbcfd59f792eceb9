using Register.BuildingBlocks.Security;

namespace Register.BuildingBlocks.Web;

/// <summary>A success message shown once, on the page a change redirects to ("Provider added").</summary>
public sealed record Flash(string Message, string? Body = null);

/// <summary>
/// What every page needs to know about its request, given to each page and component as a cascading value: who is
/// signed in (for the navigation), the path (for the current item), the anti-forgery token (for forms) and the flash.
/// </summary>
public sealed record WebContext(SignedInUser? User, string Path, string QueryString, string AntiforgeryFieldName, string AntiforgeryToken, Flash? Flash)
{
    /// <summary>The name of the service, in the header and in every page title.</summary>
    public const string ServiceName = "Register of training providers";

    /// <summary>Where people write for help, as the reference service names it.</summary>
    public const string SupportEmail = "becomingateacher@digital.education.gov.uk";

    /// <summary>The current path and query, to come back to after signing in.</summary>
    public string PathAndQuery => Path + QueryString;
}
