using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks.Web.Forms;
using Register.Providers.Domain;
using Register.Providers.Features.ProviderParts;

namespace Register.Providers.Features.Accreditations;

/// <summary>
/// A provider's "Accreditations" tab and its add, change and delete pages (<see cref="PartPages"/>), saved by
/// <see cref="AddAccreditation"/>, <see cref="UpdateAccreditation"/> and <see cref="DeleteAccreditation"/>: the provider's
/// status follows.
/// </summary>
internal static class AccreditationPages
{
    public static readonly PartJourney<AccreditationAnswers, Accreditation> Journey = new(
        ProviderPartFormPage.PartKind.Accreditation, "accreditations", "accreditation", "Accreditations", "Accreditation details",
        (form, provider) => AccreditationAnswers.Read(form, provider.ProviderType),
        answers => answers.Values(),
        (answers, change) => answers.Rows(change),
        a => new AccreditationAnswers(a.Number, a.StartDate, a.EndDate),
        a => a.Id,
        a => $"Accreditation {a.Number}",
        PartKinds.Accreditations,
        (t, clock, providerId, answers, actor, ct) => AddAccreditation.RunAsync(t, clock, providerId, answers.ToDraft(), actor, ct),
        (t, clock, providerId, id, answers, actor, ct) => UpdateAccreditation.RunAsync(t, clock, providerId, id,
            new AddAccreditation.AccreditationRequest(answers.Number, answers.StartDate, answers.EndDate, OpenEnded: answers.EndDate is null), actor, ct),
        DeleteAccreditation.RunAsync)
    {
        OrderBy = "start_date, id",
    };

    public static void Map(RouteGroupBuilder web) => PartPages.Map(web, Journey);
}
