using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.Users;

/// <summary>How the user pages read and show a user's answers.</summary>
internal static class UserForms
{
    public static bool? YesNo(string? value) => value switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };

    public static string? YesNo(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        null => null,
    };

    public static UserDraft Read(IFormCollection form, bool withActive) => new(
        form["first_name"], form["last_name"], form["email"], YesNo(form["api_user"]), withActive ? YesNo(form["active"]) : true);

    public static FormState State(UserDraft draft) => FormState.Of(
    [
        new("first_name", draft.FirstName), new("last_name", draft.LastName), new("email", draft.Email),
        new("api_user", YesNo(draft.ApiUser)), new("active", YesNo(draft.Active)),
    ]);

    public static string EmailHint(IOptions<UserOptions> options) => options.Value.EmailDomain is { Length: > 0 } domain
        ? domain == "education.gov.uk"
            ? "Email address must be a valid Department for Education address, like name@education.gov.uk"
            : $"Email address must be at {domain}, like name@{domain}"
        : "";

    public static IReadOnlyList<AnswerRow> Rows(UserDraft draft, string? changeHref, bool withActive, bool namesLocked)
    {
        var names = namesLocked ? null : changeHref;
        var rows = new List<AnswerRow>
        {
            new("First name", draft.FirstName, names),
            new("Last name", draft.LastName, names),
            new("Email address", draft.Email, names),
            new("Is the account an API user?", draft.ApiUser == true ? "Yes" : "No", changeHref, "if the account is an API user"),
        };
        if (withActive)
        {
            rows.Add(new AnswerRow("Is the account active?", draft.Active == true ? "Yes" : "No", changeHref, "if the account is active"));
        }

        return rows;
    }
}
