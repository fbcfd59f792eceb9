using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;

namespace Register.Providers.Features.Accreditations;

/// <summary>An accreditation as the pages ask for it, read from <see cref="AccreditationFields"/> and checked by the accreditation rules.</summary>
internal sealed record AccreditationAnswers(string? Number, DateOnly? StartDate, DateOnly? EndDate)
{
    internal AccreditationDraft ToDraft() => new(Number?.Trim(), StartDate, EndDate);

    internal static (AccreditationAnswers Answers, IReadOnlyList<ApiError> Errors) Read(FormReader form, string? providerType)
    {
        var answers = new AccreditationAnswers(form.Text("number")?.Trim(), form.Date("start_date", "Accreditation start date"), form.Date("end_date", "Accreditation end date"));
        return (answers, form.Merge(Validation.Errors(AccreditationDraftValidator.For(providerType), answers.ToDraft())));
    }

    internal IEnumerable<KeyValuePair<string, string?>> Values() =>
        [new("number", Number), .. FormState.DateValues("start_date", StartDate), .. FormState.DateValues("end_date", EndDate)];

    internal IReadOnlyList<AnswerRow> Rows(string? changeHref) =>
    [
        new("Accredited provider number", Number, changeHref),
        new("Accreditation dates", [$"Starts on {Formats.Date(StartDate)}", $"Ends on {Formats.Date(EndDate) ?? "Not entered"}"], changeHref, "accreditation dates"),
    ];
}
