using System.Globalization;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.ActivityLog.Contracts;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Features.Trainees;

/// <summary>
/// <c>GET /trainees/{traineeId}</c> (provider users): one of the provider's trainees, read only, by the <c>trainee_id</c> the
/// API shows: personal details, diversity, course, funding, each degree, placements, its status and TRN, its record, and its
/// latest activity (from the ActivityLog module, <see cref="GetRecordTimeline"/>). HESA codes show as their labels. The same
/// read as the API's GET (<see cref="TraineeStore.FindAsync"/>): another provider's trainee, a deleted one and an erased one
/// (ADR 16) are 404. The provider's reads of its own trainees are not recorded (ADR 16: only support's are).
/// </summary>
public sealed partial class TraineePage
{
    public const int ActivityShown = 10;

    public sealed record Field(string Key, string? Value, string Blank = "Not entered");

    public sealed record Card(string Title, IReadOnlyList<Field> Rows);

    public sealed record Activity(string Headline, string Byline);

    public sealed record PageModel(
        string TraineeId, string Name, string Status, string? StatusColour, IReadOnlyList<Card> Details, IReadOnlyList<Card> Degrees,
        IReadOnlyList<Card> Placements, IReadOnlyList<Activity> Activity, long ActivityTotal);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web) =>
        web.MapGet("/trainees/{traineeId}", async (string traineeId, HttpContext http, NpgsqlDataSource db, ISender sender, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var trainee = await TraineeStore.FindAsync(connection, http.SignedInProviderId(), traineeId, null, ct);
            if (trainee is null || trainee.ErasedAt is not null || trainee.State == "draft")
            {
                return Pages.NotFound();
            }

            var degrees = (await TraineeStore.DegreesAsync(connection, [trainee.Id], null, ct))[trainee.Id].ToList();
            var placements = (await TraineeStore.PlacementsAsync(connection, [trainee.Id], null, ct))[trainee.Id].ToList();
            var partner = trainee.TrainingPartnerId is { } partnerId
                ? await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT name FROM trainees.providers WHERE id = @partnerId", new { partnerId }, cancellationToken: ct))
                : null;
            var timeline = await sender.Send(new GetRecordTimeline(TraineeRecords.Types, trainee.Id, ActivityShown), ct);

            var (status, colour) = TraineeLabels.Status(trainee.State, trainee.TrainingRoute);
            return Pages.Show<TraineePage>(http, new PageModel(
                trainee.Slug, TraineeLabels.Name(trainee), status, colour,
                Details(trainee, partner, status),
                degrees.Select((d, i) => Degree(d, i + 1, degrees.Count)).ToList(),
                placements.Select((p, i) => new Card(placements.Count == 1 ? "Placement" : $"Placement {i + 1}",
                    [new("School or setting", p.Name), new("URN", p.Urn, "Not a school with a URN"), new("Postcode", p.Postcode)])).ToList(),
                timeline.Items.Select(i => new Activity(i.Headline, i.Byline)).ToList(),
                timeline.Total));
        });

    private static List<Card> Details(Trainee t, string? partner, string status)
    {
        var codes = HesaCodes.Instance;
        var disabilities = t.Disabilities.Length == 0 ? null : string.Join(", ", t.Disabilities.Select(d => codes.Disability.Label(d)));
        var subjects = new[] { t.CourseSubject1, t.CourseSubject2, t.CourseSubject3 }.Select(TraineeLabels.Subject).OfType<string>().ToList();
        var cards = new List<Card>
        {
            new("Status", StatusRows(t, status)),
            new("Personal details",
            [
                new("Full name", TraineeLabels.Name(t)),
                new("Previous last name", t.PreviousLastName, "None"),
                new("Date of birth", Formats.Date(t.DateOfBirth)),
                new("Sex", TraineeLabels.Code(codes.Sex, t.Sex)),
                new("Nationality", TraineeLabels.Code(codes.Nationality, t.Nationality)),
                new("Email address", t.Email),
            ]),
            new("Diversity information",
            [
                new("Ethnicity", TraineeLabels.Code(codes.Ethnicity, t.Ethnicity)),
                new("Disabilities", disabilities),
            ]),
            new("Course details",
            [
                new("Training route", TraineeLabels.Route(t.TrainingRoute)),
                new(subjects.Count > 1 ? "Subjects" : "Subject", subjects.Count == 0 ? null : string.Join(", ", subjects)),
                new("Age range", TraineeLabels.AgeRange(t.CourseAgeRange)),
                new("Study mode", TraineeLabels.Code(codes.StudyMode, t.StudyMode)),
                new("ITT start date", Formats.Date(t.IttStartDate)),
                new("ITT end date", Formats.Date(t.IttEndDate)),
                new("Trainee start date", Formats.Date(t.TraineeStartDate)),
                new("Course year", t.CourseYear?.ToString(CultureInfo.InvariantCulture)),
                new("Academic year", AcademicCycles.Label(t.StartAcademicYear)),
                new("ITT aim", TraineeLabels.Code(codes.IttAim, t.IttAim)),
                new("Qualification aim", TraineeLabels.Code(codes.IttQualificationAim, t.IttQualificationAim)),
                new("Training partner", partner is null ? t.TrainingPartnerUrn ?? t.TrainingPartnerUkprn : partner, "None"),
                new("Employing school URN", t.EmployingSchoolUrn, "None"),
            ]),
            new("Funding",
            [
                new("Fund code", TraineeLabels.Code(codes.FundCode, t.FundCode)),
                new("Funding method", TraineeLabels.Code(codes.FundingMethod, t.FundingMethod)),
                new("Training initiative", TraineeLabels.Initiative(t.TrainingInitiative)),
                new("Additional training initiative", TraineeLabels.Initiative(t.AdditionalTrainingInitiative), "None"),
            ]),
            new("Record",
            [
                new("Trainee ID", t.Slug),
                new("Provider trainee ID", t.ProviderTraineeId),
                new("HESA ID", t.HesaId),
                new("Apply application ID", t.ApplicationId?.ToString(CultureInfo.InvariantCulture), "None"),
                new("Added", Formats.DateTime(t.CreatedAt)),
                new("Last updated", Formats.DateTime(t.UpdatedAt)),
            ]),
        };
        return cards;
    }

    private static List<Field> StatusRows(Trainee t, string status)
    {
        var rows = new List<Field>
        {
            new("Status", status),
            new("TRN", t.Trn, "Not yet received"),
            new("Submitted for TRN", Formats.DateTime(t.SubmittedForTrnAt)),
        };
        if (t.DeferDate is not null || t.State == TraineeStates.Deferred)
        {
            rows.Add(new("Date of deferral", Formats.Date(t.DeferDate)));
            rows.Add(new("Reason for deferral", t.DeferReason));
        }

        if (t.ReinstateDate is not null)
        {
            rows.Add(new("Date of return", Formats.Date(t.ReinstateDate)));
        }

        if (t.WithdrawalDate is not null || t.State == TraineeStates.Withdrawn)
        {
            rows.Add(new("Date of withdrawal", Formats.Date(t.WithdrawalDate)));
            rows.Add(new("Who decided", t.WithdrawalTrigger switch { "provider" => "The provider", "trainee" => "The trainee", var other => other }));
            rows.Add(new("Reasons for withdrawal",
                t.WithdrawalReasons is { Length: > 0 } reasons ? string.Join(", ", reasons.Select(r => TraineeLabels.WithdrawalReason(r, t.WithdrawalTrigger))) : null));
            if (t.WithdrawalAnotherReason is not null)
            {
                rows.Add(new("Another reason", t.WithdrawalAnotherReason));
            }

            if (t.WithdrawalSafeguardingConcernReasons is not null)
            {
                rows.Add(new("Safeguarding concerns", t.WithdrawalSafeguardingConcernReasons));
            }

            rows.Add(new("Interested in returning", t.WithdrawalFutureInterest switch { "yes" => "Yes", "no" => "No", "unknown" => "Unknown", var other => other }));
        }

        if (t.RecommendedForAwardAt is not null || t.OutcomeDate is not null)
        {
            rows.Add(new("Date standards met", Formats.Date(t.OutcomeDate)));
            rows.Add(new("Recommended for award", Formats.DateTime(t.RecommendedForAwardAt)));
        }

        if (t.AwardedAt is not null)
        {
            rows.Add(new("Awarded", Formats.DateTime(t.AwardedAt)));
        }

        return rows;
    }

    private static Card Degree(Degree d, int number, int count)
    {
        var codes = HesaCodes.Instance;
        var uk = d.LocaleCode == "uk";
        var type = uk ? TraineeLabels.Code(codes.DegreeType, d.UkDegree) : TraineeLabels.Code(codes.DegreeType, d.NonUkDegree);
        var subject = TraineeLabels.Code(codes.DegreeSubject, d.Subject);
        var title = string.Join(": ", new[] { type, subject }.Where(s => s is not null));
        return new Card(title.Length > 0 ? title : count == 1 ? "Degree" : $"Degree {number}",
        [
            new("Degree type", type),
            new("Subject", subject),
            uk ? new("Institution", TraineeLabels.Code(codes.Institution, d.Institution)) : new("Country", TraineeLabels.Code(codes.Country, d.Country)),
            new("Grade", d.OtherGrade ?? TraineeLabels.Code(codes.DegreeGrade, d.Grade), uk ? "Not entered" : "Not applicable"),
            new("Graduation year", d.GraduationYear?.ToString(CultureInfo.InvariantCulture)),
        ]);
    }
}
