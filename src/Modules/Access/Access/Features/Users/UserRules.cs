using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.Options;
using Register.BuildingBlocks.Http;

namespace Register.Access.Features.Users;

/// <summary><c>Users:EmailDomain</c> (the DfE rule: only addresses at this domain or its subdomains; blank for any) and <c>Users:MinimumActiveUsers</c>.</summary>
internal sealed class UserOptions
{
    public string EmailDomain { get; set; } = "education.gov.uk";

    /// <summary>Deactivating or deleting a user is refused when fewer active users than this would be left (the reference's 4).</summary>
    public int MinimumActiveUsers { get; set; } = 4;
}

/// <summary>A user as support users enter it: complete, after any merge with the stored user.</summary>
/// <param name="ProviderId">For a provider user (invited from their provider's page): their training provider, whose people need no DfE address.</param>
internal sealed record UserDraft(string? FirstName, string? LastName, string? Email, bool? ApiUser, bool? Active, Guid? ProviderId = null)
{
    public UserDraft Normalised() => this with
    {
        FirstName = FirstName?.Trim(),
        LastName = LastName?.Trim(),
        Email = Email?.Trim().ToLowerInvariant(),
    };
}

/// <summary>The reference's user rules and messages; the email domain is configurable.</summary>
internal sealed partial class UserDraftValidator : AbstractValidator<UserDraft>
{
    public UserDraftValidator(IOptions<UserOptions> options)
    {
        var domain = options.Value.EmailDomain.Trim().TrimStart('@').ToLowerInvariant();
        RuleFor(u => u.FirstName).NotEmpty().WithMessage("Enter first name")
            .MaximumLength(255).WithMessage("First name must be 255 characters or fewer").PlainText("first_name");
        RuleFor(u => u.LastName).NotEmpty().WithMessage("Enter last name")
            .MaximumLength(255).WithMessage("Last name must be 255 characters or fewer").PlainText("last_name");
        RuleFor(u => u.Email).NotEmpty().WithMessage("Enter email address");
        RuleFor(u => u.Email).Must(e => IsEmail(e!)).When(u => !string.IsNullOrEmpty(u.Email) && u.ProviderId is not null)
            .WithMessage("Enter an email address in the correct format, like name@example.com");
        RuleFor(u => u.Email).Must(e => IsEmail(e!) && (domain.Length == 0 || HasDomain(e!, domain))).When(u => !string.IsNullOrEmpty(u.Email) && u.ProviderId is null)
            .WithMessage(domain == "education.gov.uk"
                ? "Enter a Department for Education email address in the correct format, like name@education.gov.uk"
                : domain.Length == 0 ? "Enter an email address in the correct format, like name@example.com"
                : $"Enter an email address at {domain} in the correct format, like name@{domain}");
        RuleFor(u => u.ApiUser).NotNull().WithMessage("Select if the account is an API user");
        RuleFor(u => u.Active).NotNull().WithMessage("Select if the account is active");
    }

    public static bool IsEmail(string email) => email.Length <= 255 && !email.Contains("..", StringComparison.Ordinal) && EmailFormat().IsMatch(email);

    /// <summary>The host is the domain or one of its subdomains (<c>digital.education.gov.uk</c>), never <c>education.gov.uk.example</c>.</summary>
    public static bool HasDomain(string email, string domain)
    {
        var host = email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant();
        return host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$")]
    private static partial Regex EmailFormat();
}

internal static class UserMessages
{
    public const string EmailTaken = "Email address already in use";
    public const string NotAllowed = "You cannot change your own account or a system admin's";
    public const string SignedInFieldsLocked = "can only be changed by the person, through their sign-in, once they have signed in";
}
