using System.Text;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// The field guidance of the CSV template: each of its 51 columns (<see cref="UploadFile.Columns"/>, in its order) with whether
/// it is needed, its format and what it holds; a code column lists its HESA codes (all of a short list, examples of a long
/// one) from the code lists the rules check against, so the guidance says what the checks accept.
/// </summary>
internal static class UploadFieldGuide
{
    public sealed record Field(string Column, string Required, string Format, string Description);

    private const int ListedCodes = 12;

    private static readonly Lazy<IReadOnlyList<Field>> All = new(Build);

    public static IReadOnlyList<Field> Fields => All.Value;

    /// <summary>The guidance as CSV (Column, Required, Format, Description), safe to open in a spreadsheet.</summary>
    public static string Csv()
    {
        var csv = new StringBuilder();
        void Line(params string[] cells) =>
            csv.Append(string.Join(",", cells.Select(c => "\"" + (UploadRowMapping.Safe("guide", c) ?? "").Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append("\r\n");
        Line("Column", "Required", "Format", "Description");
        foreach (var field in Fields)
        {
            Line(field.Column, field.Required, field.Format, field.Description);
        }

        return csv.ToString();
    }

    private static List<Field> Build()
    {
        var codes = HesaCodes.Instance;
        const string Date = "A date: YYYY-MM-DD, for example 2026-09-01";
        const string Urn = "A 6-digit URN, for example 123456";
        string Codes(CodeList list)
        {
            var values = list.Values.Where(v => v.Code is not null).ToList();
            var shown = string.Join("; ", values.Take(ListedCodes).Select(v => $"{v.Code} ({list.Label(v.Code!)})"));
            return values.Count <= ListedCodes
                ? $"A HESA code: {shown}"
                : $"A HESA code from the {list.DisplayName} list ({values.Count:N0} codes), for example {shown}";
        }

        var guide = new Dictionary<string, Field>(StringComparer.Ordinal);
        void Add(string column, string required, string format, string description) => guide[column] = new Field(column, required, format, description);

        Add("provider_trainee_id", "Optional", "Up to 50 characters", "Your own identifier for the trainee.");
        Add("application_id", "Optional", "Up to 7 digits", "The trainee's application number in Apply for teacher training, if they applied there.");
        Add("hesa_id", "Mandatory", "13 or 17 digits", "The trainee's HESA unique student identifier (HUSID).");
        Add("first_names", "Mandatory", "Up to 60 characters", "The trainee's first names.");
        Add("last_name", "Mandatory", "Up to 60 characters", "The trainee's last name.");
        Add("previous_last_name", "Optional", "Up to 60 characters", "The trainee's last name before their current one, if it changed.");
        Add("date_of_birth", "Mandatory", Date, "The trainee's date of birth.");
        Add("ni_number", "Optional", "2 letters, 6 numbers and A, B, C or D, for example QQ123456C", "The trainee's National Insurance number.");
        Add("sex", "Mandatory", Codes(codes.Sex), "The trainee's sex.");
        Add("email", "Mandatory", "An email address, up to 80 characters", "The trainee's personal email address.");
        Add("nationality", "Optional", Codes(codes.Nationality), "The trainee's nationality.");
        Add("ethnicity", "Optional", Codes(codes.Ethnicity), "The trainee's ethnicity.");
        for (var i = 1; i <= 9; i++)
        {
            Add($"disability{i}", "Optional", Codes(codes.Disability), i == 1 ? "A disability the trainee has told you about." : "Another disability, if they have more than one.");
        }

        Add("itt_aim", "Mandatory", Codes(codes.IttAim), "The aim of the trainee's initial teacher training.");
        Add("training_route", "Mandatory", Codes(codes.TrainingRoute), "The route of the trainee's training.");
        Add("itt_qualification_aim", "Conditional: mandatory when itt_aim is 202", Codes(codes.IttQualificationAim), "The qualification the course leads to.");
        Add("course_subject_1", "Mandatory", Codes(codes.CourseSubject), "The course's first subject (100511 for primary courses).");
        Add("course_subject_2", "Optional", Codes(codes.CourseSubject), "The course's second subject, or a primary specialism.");
        Add("course_subject_3", "Optional", Codes(codes.CourseSubject), "The course's third subject, or another primary specialism.");
        Add("study_mode", "Conditional: mandatory unless the route is assessment only", Codes(codes.StudyMode), "Full time or part time.");
        Add("itt_start_date", "Mandatory", Date, "When the initial teacher training starts.");
        Add("itt_end_date", "Mandatory", Date, "When the initial teacher training is expected to end: after itt_start_date.");
        Add("course_age_range", "Mandatory", Codes(codes.CourseAgeRange), "The ages the trainee is training to teach.");
        Add("course_year", "Mandatory", "0 (foundation year), 1, 2 or 3", "The year of the course the trainee is in.");
        Add("training_partner_urn", "Optional", Urn, "The training partner's URN; leave it empty when there is none.");
        Add("employing_school_urn", "Conditional: for salaried routes", Urn, "The URN of the school that employs the trainee.");
        Add("trainee_start_date", "Optional", Date, "When the trainee started, if not on itt_start_date.");
        Add("pg_apprenticeship_start_date", "Conditional: for the postgraduate teaching apprenticeship", Date, "When the apprenticeship started.");
        Add("fund_code", "Mandatory", Codes(codes.FundCode), "Whether the trainee is eligible for funding.");
        Add("funding_method", "Optional", Codes(codes.FundingMethod), "The bursary, scholarship or grant the trainee gets, if any.");
        Add("training_initiative", "Optional", Codes(codes.TrainingInitiative), "A training initiative the trainee is on, if any.");
        Add("additional_training_initiative", "Optional", Codes(codes.TrainingInitiative), "A second training initiative, if any.");
        for (var i = 1; i <= 3; i++)
        {
            Add($"placement_{i}_urn", "Optional", Urn, $"The URN of the trainee's placement school {i} (Placement {i}).");
        }

        Add("uk_degree", "Conditional: a UK or non-UK degree type for postgraduate routes", Codes(codes.DegreeType), "The type of the trainee's UK degree.");
        Add("non_uk_degree", "Conditional: a UK or non-UK degree type for postgraduate routes", Codes(codes.DegreeType), "The type of the trainee's degree from outside the UK.");
        Add("degree_subject", "Conditional: with a degree", Codes(codes.DegreeSubject), "The subject of the trainee's degree.");
        Add("degree_grade", "Conditional: with a UK degree", Codes(codes.DegreeGrade), "The grade of the trainee's degree.");
        Add("degree_graduation_year", "Conditional: with a degree", "A year in the past, for example 2014", "When the trainee graduated.");
        Add("awarding_institution", "Conditional: with a UK degree", Codes(codes.Institution), "The institution that awarded the UK degree.");
        Add("degree_country", "Conditional: with a non-UK degree", Codes(codes.Country), "The country of the non-UK degree.");
        Add("iqts_country", "Conditional: for international qualified teacher status", Codes(codes.Country), "The country where the trainee trains for iQTS.");

        var missing = UploadFile.Columns.Where(c => !guide.ContainsKey(c)).ToList();
        if (missing.Count > 0 || guide.Count != UploadFile.Columns.Count)
        {
            throw new InvalidOperationException($"The field guidance does not match the template's columns: {string.Join(", ", missing)}");
        }

        return UploadFile.Columns.Select(c => guide[c]).ToList();
    }
}
