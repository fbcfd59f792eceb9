using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Register.BuildingBlocks.Http;

namespace Register.Providers.Domain;

/// <summary>Everything about a provider that support users set, complete: what create builds and update merges into.</summary>
internal sealed record ProviderDraft(
    string? OperatingName,
    string? LegalName,
    string? ProviderType,
    string? AccreditationStatus,
    string? Code,
    string? Ukprn,
    string? Urn,
    DateOnly? OnboardedOn,
    DateOnly? FirstActiveOn,
    IReadOnlyList<InactivePeriod> InactivePeriods)
{
    /// <summary>As stored: trimmed, code upper-cased, blank optional fields as null.</summary>
    public ProviderDraft Normalised() => this with
    {
        OperatingName = OperatingName?.Trim(),
        LegalName = string.IsNullOrWhiteSpace(LegalName) ? null : LegalName.Trim(),
        Code = Code?.Trim().ToUpperInvariant(),
        Ukprn = Ukprn?.Trim(),
        Urn = string.IsNullOrWhiteSpace(Urn) ? null : Urn.Trim(),
        FirstActiveOn = FirstActiveOn ?? OnboardedOn,
    };
}

/// <summary>The reference's provider rules and messages.</summary>
internal sealed partial class ProviderDraftValidator : AbstractValidator<ProviderDraft>
{
    /// <summary>The one instance: building a validator compiles its rules, far dearer than running them (it was most of a seed row's CPU).</summary>
    public static ProviderDraftValidator Instance { get; } = new();

    private ProviderDraftValidator()
    {
        RuleFor(p => p.OperatingName).NotEmpty().WithMessage("Enter operating name")
            .MaximumLength(255).WithMessage("Operating name must be 255 characters or fewer").PlainText("operating_name");
        RuleFor(p => p.LegalName).MaximumLength(255).WithMessage("Legal name must be 255 characters or fewer").PlainText("legal_name");
        RuleFor(p => p.ProviderType).NotEmpty().WithMessage("Select provider type");
        RuleFor(p => p.ProviderType).Must(t => ProviderTypes.All.Contains(t)).When(p => !string.IsNullOrEmpty(p.ProviderType))
            .WithMessage("provider_type is not included in the list (hei, scitt, school, other)");
        RuleFor(p => p.AccreditationStatus).NotEmpty().WithMessage("Select if the provider is accredited");
        RuleFor(p => p.AccreditationStatus).Must(s => ProviderTypes.Statuses.Contains(s)).When(p => !string.IsNullOrEmpty(p.AccreditationStatus))
            .WithMessage("accreditation_status is not included in the list (accredited, unaccredited)");
        RuleFor(p => p.ProviderType)
            .Must((p, type) => ProviderTypes.Allows(type!, p.AccreditationStatus!))
            .When(p => ProviderTypes.All.Contains(p.ProviderType) && ProviderTypes.Statuses.Contains(p.AccreditationStatus))
            .WithMessage(p => p.ProviderType == ProviderTypes.School ? "School cannot be accredited" : "School-centred initial teacher training (SCITT) must be accredited");
        RuleFor(p => p.Code).NotEmpty().WithMessage("Enter provider code");
        RuleFor(p => p.Code).Matches(CodeFormat()).When(p => !string.IsNullOrEmpty(p.Code)).WithMessage("Enter a valid provider code");
        RuleFor(p => p.Ukprn).NotEmpty().WithMessage("Enter UK provider reference number (UKPRN)");
        RuleFor(p => p.Ukprn).Matches(UkprnFormat()).When(p => !string.IsNullOrEmpty(p.Ukprn)).WithMessage("Enter a valid UK provider reference number (UKPRN)");
        RuleFor(p => p.Urn).NotEmpty().When(p => ProviderTypes.NeedsUrn(p.ProviderType)).WithMessage("Enter unique reference number (URN)");
        RuleFor(p => p.Urn).Matches(UrnFormat()).When(p => ProviderTypes.NeedsUrn(p.ProviderType) && !string.IsNullOrEmpty(p.Urn))
            .WithMessage("Enter a valid unique reference number (URN)");
        RuleFor(p => p.OnboardedOn).NotNull().WithMessage("Enter the date the provider was onboarded");
        RuleFor(p => p.OnboardedOn).Must(BeAPlausibleDate).WithMessage("onboarded_on must be between 1900 and 2100");
        RuleFor(p => p.FirstActiveOn).Must(BeAPlausibleDate).WithMessage("first_active_on must be between 1900 and 2100");
        RuleForEach(p => p.InactivePeriods).Must(i => BeAPlausibleDate(i.StartDate) && BeAPlausibleDate(i.EndDate))
            .WithMessage("Inactive periods must be between 1900 and 2100").OverridePropertyName("inactive_periods");
        RuleForEach(p => p.InactivePeriods).Must(i => i.EndDate is null || i.EndDate >= i.StartDate)
            .WithMessage("The inactive period end date must be the same as or after its start date").OverridePropertyName("inactive_periods");
        RuleForEach(p => p.InactivePeriods).Must(i => i.Reason is null || (i.Reason.Length <= 255 && !i.Reason.Any(char.IsControl)))
            .WithMessage("The reason for an inactive period must be 255 characters or fewer, without control characters").OverridePropertyName("inactive_periods");
    }

    private static bool BeAPlausibleDate(DateOnly? date) => date is null || date.Value.Year is >= 1900 and <= 2100;

    [GeneratedRegex("^[A-Za-z0-9]{3}$")]
    private static partial Regex CodeFormat();

    [GeneratedRegex("^[0-9]{8}$")]
    private static partial Regex UkprnFormat();

    [GeneratedRegex("^[0-9]{5,6}$")]
    private static partial Regex UrnFormat();
}

/// <summary>An accreditation as support users enter it.</summary>
internal sealed record AccreditationDraft(string? Number, DateOnly? StartDate, DateOnly? EndDate);

/// <summary>The reference's accreditation rules: 4 digits, starting with 1 for an HEI, 5 for a SCITT or school, 1 or 5 otherwise.</summary>
internal sealed partial class AccreditationDraftValidator : AbstractValidator<AccreditationDraft>
{
    private static readonly ConcurrentDictionary<string, AccreditationDraftValidator> ByProviderType = new(StringComparer.Ordinal);

    private AccreditationDraftValidator(string? providerType)
    {
        RuleFor(a => a.Number).NotEmpty().WithMessage("Enter an accredited provider number");
        RuleFor(a => a.Number).Must(n => NumberFits(n!, providerType)).When(a => !string.IsNullOrEmpty(a.Number))
            .WithMessage(providerType switch
            {
                ProviderTypes.Hei => "Enter a valid accredited provider number - it must be 4 digits starting with a 1, like 1234",
                ProviderTypes.Scitt or ProviderTypes.School => "Enter a valid accredited provider number - it must be 4 digits starting with a 5, like 5678",
                _ => "Enter a valid accredited provider number - it must be 4 digits starting with a 1 or a 5",
            });
        RuleFor(a => a.StartDate).NotNull().WithMessage("Enter accreditation start date");
        RuleFor(a => a.EndDate).Must((a, end) => end >= a.StartDate).When(a => a.StartDate is not null && a.EndDate is not null)
            .WithMessage(a => $"The accreditation end date must be the same as or after {a.StartDate!.Value.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))} when the accreditation starts");
    }

    /// <summary>The one instance for a provider type: building a validator compiles its rules, far dearer than running them.</summary>
    public static AccreditationDraftValidator For(string? providerType) => ByProviderType.GetOrAdd(providerType ?? "", t => new(t.Length == 0 ? null : t));

    public static bool NumberFits(string number, string? providerType) => providerType switch
    {
        ProviderTypes.Hei => HeiNumber().IsMatch(number),
        ProviderTypes.Scitt or ProviderTypes.School => SchoolNumber().IsMatch(number),
        _ => AnyNumber().IsMatch(number),
    };

    [GeneratedRegex("^1[0-9]{3}$")]
    private static partial Regex HeiNumber();

    [GeneratedRegex("^5[0-9]{3}$")]
    private static partial Regex SchoolNumber();

    [GeneratedRegex("^[15][0-9]{3}$")]
    private static partial Regex AnyNumber();
}

/// <summary>An address as support users enter it (entered whole: there is no Ordnance Survey look-up here).</summary>
internal sealed record AddressDraft(
    string? AddressLine1, string? AddressLine2, string? AddressLine3, string? TownOrCity, string? County, string? Postcode,
    decimal? Latitude, decimal? Longitude, string? Uprn)
{
    public AddressDraft Normalised() => this with
    {
        AddressLine1 = AddressLine1?.Trim(),
        AddressLine2 = Blank(AddressLine2),
        AddressLine3 = Blank(AddressLine3),
        TownOrCity = TownOrCity?.Trim(),
        County = Blank(County),
        Postcode = Postcodes.Format(Postcode),
        Uprn = Blank(Uprn),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal sealed partial class AddressDraftValidator : AbstractValidator<AddressDraft>
{
    /// <summary>The one instance: building a validator compiles its rules, far dearer than running them.</summary>
    public static AddressDraftValidator Instance { get; } = new();

    private AddressDraftValidator()
    {
        RuleFor(a => a.AddressLine1).NotEmpty().WithMessage("Enter address line 1, typically the building and street");
        Text(a => a.AddressLine1, "address_line_1", "Address line 1");
        Text(a => a.AddressLine2, "address_line_2", "Address line 2");
        Text(a => a.AddressLine3, "address_line_3", "Address line 3");
        RuleFor(a => a.TownOrCity).NotEmpty().WithMessage("Enter town or city");
        Text(a => a.TownOrCity, "town_or_city", "Town or city");
        Text(a => a.County, "county", "County");
        RuleFor(a => a.Postcode).Must(p => Postcodes.IsValid(p)).WithMessage("Enter a full UK postcode");
        RuleFor(a => a.Latitude).InclusiveBetween(-90m, 90m).WithMessage("latitude must be between -90 and 90");
        RuleFor(a => a.Longitude).InclusiveBetween(-180m, 180m).WithMessage("longitude must be between -180 and 180");
        RuleFor(a => a.Uprn).Matches(UprnFormat()).When(a => !string.IsNullOrEmpty(a.Uprn)).WithMessage("uprn must be up to 15 digits");
    }

    private void Text(System.Linq.Expressions.Expression<Func<AddressDraft, string?>> field, string name, string label) =>
        RuleFor(field).MaximumLength(255).WithMessage($"{label} must be 255 characters or fewer").PlainText(name);

    [GeneratedRegex("^[0-9]{1,15}$")]
    private static partial Regex UprnFormat();
}

/// <summary>Full UK postcodes, stored upper-cased with one space before the inward code.</summary>
internal static partial class Postcodes
{
    public static string? Format(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return null;
        }

        var compact = new string(postcode.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return compact.Length > 3 ? $"{compact[..^3]} {compact[^3..]}" : compact;
    }

    public static bool IsValid(string? postcode) => postcode is not null && FullPostcode().IsMatch(Format(postcode)!);

    [GeneratedRegex("^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})$")]
    private static partial Regex FullPostcode();
}

/// <summary>A provider's contact as support users enter it.</summary>
internal sealed record ContactDraft(string? FirstName, string? LastName, string? Email, string? TelephoneNumber)
{
    public ContactDraft Normalised() => this with
    {
        FirstName = FirstName?.Trim(),
        LastName = LastName?.Trim(),
        Email = Email?.Trim(),
        TelephoneNumber = string.IsNullOrWhiteSpace(TelephoneNumber) ? null : TelephoneNumber.Trim(),
    };
}

internal sealed partial class ContactDraftValidator : AbstractValidator<ContactDraft>
{
    /// <summary>The one instance: building a validator compiles its rules, far dearer than running them.</summary>
    public static ContactDraftValidator Instance { get; } = new();

    private ContactDraftValidator()
    {
        RuleFor(c => c.FirstName).NotEmpty().WithMessage("Enter first name")
            .MaximumLength(255).WithMessage("First name must be 255 characters or fewer").PlainText("first_name");
        RuleFor(c => c.LastName).NotEmpty().WithMessage("Enter last name")
            .MaximumLength(255).WithMessage("Last name must be 255 characters or fewer").PlainText("last_name");
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter email address");
        RuleFor(c => c.Email).Must(e => e!.Length <= 255 && !e.Contains("..", StringComparison.Ordinal) && EmailFormat().IsMatch(e))
            .When(c => !string.IsNullOrEmpty(c.Email))
            .WithMessage("Enter an email address in the correct format, like name@example.com");
        RuleFor(c => c.TelephoneNumber).Must(t => UkPhone().IsMatch(Digits(t!))).When(c => !string.IsNullOrEmpty(c.TelephoneNumber))
            .WithMessage("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192");
    }

    private static string Digits(string phone) => new(phone.Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '(' and not ')').ToArray());

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$")]
    private static partial Regex EmailFormat();

    [GeneratedRegex(@"^(?:\+44|0044|0)[1-9][0-9]{8,9}$")]
    private static partial Regex UkPhone();
}
