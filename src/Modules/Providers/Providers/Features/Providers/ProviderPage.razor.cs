using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>GET /providers/{id}</c>: the "Provider details" tab: RoTP Id, type, status, names, UKPRN, URN, code (each with
/// Change while the provider is not archived), dates, active academic years and inactive periods; Archive, or Restore
/// and Delete.
/// </summary>
public sealed partial class ProviderPage
{
    public sealed record PageModel(Guid Id, string Name, bool Archived, IReadOnlyList<AnswerRow> Rows);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/providers/{id:guid}", async (Guid id, HttpContext http, NpgsqlDataSource db, TimeProvider clock) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await Provider.FindAsync(connection, id, null, http.RequestAborted) is not { } provider)
            {
                return Pages.NotFound();
            }

            var today = clock.TodayInLondon();
            string? Change(string anchor) => provider.IsArchived ? null : $"/providers/{id}/edit#{anchor}";
            var periods = provider.InactivePeriods;
            IReadOnlyList<AnswerRow> rows =
            [
                new("RoTP Id", provider.RotpId),
                new("Provider type", ProviderLabels.Type(provider.ProviderType)),
                new("Accreditation status", ProviderLabels.Status(provider.AccreditationStatus)),
                new("Operating name", provider.OperatingName, Change("operating_name")),
                new("Legal name", provider.LegalName, Change("legal_name")),
                new("UK provider reference number (UKPRN)", provider.Ukprn, Change("ukprn"), "UK provider reference number (UKPRN)"),
                new("Unique reference number (URN)", provider.Urn, Change("urn"), "unique reference number (URN)"),
                new("Provider code", provider.Code, Change("code")),
                new("Onboard at", Formats.Date(provider.OnboardedOn)),
                new("First active at", Formats.Date(provider.FirstActiveOn)),
                new("Academic years", ProviderLabels.Years(AcademicYears.Active(provider.FirstActiveOn, periods, today), today), Blank: "No academic years"),
                new("Inactive periods", periods.Select(p => $"Starts on {Formats.Date(p.StartDate)}, ends on {Formats.Date(p.EndDate) ?? "not entered"}").ToList(), Blank: "No inactive periods"),
            ];
            return Pages.Show<ProviderPage>(http, new PageModel(provider.Id, provider.OperatingName, provider.IsArchived, rows));
        });
}
