using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Components;
using Register.Providers.Contracts;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary><c>GET /providers/{id}/partnerships</c>: the same list as <c>GET /support/providers/{id}/partnerships</c>, as cards.</summary>
public sealed partial class PartnershipsPage
{
    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/providers/{providerId:guid}/partnerships", async (Guid providerId, HttpContext http, ISender sender, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var (provider, refusal) = await PartnershipPages.ProviderAsync(sender, providerId, toChange: false, http.RequestAborted);
            if (provider is null)
            {
                return refusal!;
            }

            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var partnerships = await ListProviderPartnerships.ListAsync(connection, providerId, http.RequestAborted);
            var today = clock.TodayInLondon();
            return Pages.Show<PartnershipsPage>(http, new PageModel(
                provider.Id, provider.OperatingName, provider.Archived, ProviderTabs.For(providerId).Select(t => new SubNavigation.Item(t.Text, t.Href)).ToList(),
                partnerships.Select(p =>
                {
                    var other = p.AccreditedProvider.Id == providerId ? p.TrainingPartner : p.AccreditedProvider;
                    return new Card(p.Id, other.Id, other.Name, p.AccreditedProvider.Name, p.TrainingPartner.Name, Formats.Date(p.StartDate), Formats.Date(p.EndDate),
                        p.AcademicYears.Select(y => (Formats.AcademicYear(y, today), Formats.AcademicYearDates(y))).ToList());
                }).ToList()));
        });
}
