using System.Text;
using System.Text.Json.Nodes;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// A CSV row as a trainee request, and the rules' messages in the CSV's words (spec §9, §6.2): the trainee columns are
/// the API's fields; the degree columns make one degree; each placement URN a placement named "Placement N".
/// </summary>
internal static class UploadRowMapping
{
    /// <summary>Degree columns → the degree's fields.</summary>
    private static readonly (string Column, string Field)[] DegreeColumns =
    [
        ("uk_degree", "uk_degree"), ("non_uk_degree", "non_uk_degree"), ("degree_subject", "subject"), ("degree_grade", "grade"),
        ("degree_graduation_year", "graduation_year"), ("awarding_institution", "institution"), ("degree_country", "country"),
    ];

    private static readonly string[] PlacementColumns = ["placement_1_urn", "placement_2_urn", "placement_3_urn"];

    public static JsonObject Trainee(UploadRow row)
    {
        var trainee = new JsonObject();
        foreach (var (column, value) in row.Cells)
        {
            if (value is not null && !PlacementColumns.Contains(column) && !DegreeColumns.Any(d => d.Column == column))
            {
                trainee[column] = value;
            }
        }

        var degree = new JsonObject();
        foreach (var (column, field) in DegreeColumns)
        {
            if (row.Cells.GetValueOrDefault(column) is { } value)
            {
                degree[field] = value;
            }
        }

        if (degree.Count > 0)
        {
            trainee[TraineeError.Degrees] = new JsonArray(degree);
        }

        var placements = PlacementColumns.Select(c => row.Cells.GetValueOrDefault(c)).OfType<string>()
            .Select((urn, i) => (JsonNode)new JsonObject { ["name"] = $"Placement {i + 1}", ["urn"] = urn }).ToArray();
        if (placements.Length > 0)
        {
            trainee[TraineeError.Placements] = new JsonArray(placements);
        }

        return trainee;
    }

    /// <summary>A broken rule as the reference's CSV upload says it: columns for fields, and its own words for a few rules.</summary>
    public static string Message(TraineeError error) => (error.Group, error.Field, error.Message) switch
    {
        (TraineeError.Degrees, "graduation_year", "is invalid") => "degree_graduation_year Enter a valid graduation year",
        (TraineeError.Degrees, "graduation_year", "must be in the past, for example 2014") => "degree_graduation_year Enter a year that is in the past, for example 2014",
        (TraineeError.Degrees, var field, var message) => $"{DegreeColumns.FirstOrDefault(d => d.Field == field).Column ?? field} {message}",
        (TraineeError.Placements, var field, var message) => $"{field} {message}",
        (null, TraineeError.Degrees, "must be entered if specifying a postgraduate training_route") =>
            "UK degree type or Non-UK degree type must be entered if specifying a postgraduate training_route",
        (null, "itt_end_date", "must be after itt_start_date") => "itt_end_date must be after ITT start date",
        (null, "course_subject_2" or "course_subject_3", "might contain duplicate values") => $"{error.Field} Course subject fields contain duplicate values",
        (null, "training_partner_urn" or "training_partner_id", var message) => $"Training Partner URN {message}",
        (null, "employing_school_id", var message) => $"Employing School URN {message}",
        _ => error.FullMessage,
    };

    /// <summary>
    /// The report of an upload: the template's columns with each row's cells, then "Validation results" ("Validation passed",
    /// "2 errors found") and "Errors" (joined with ";" and a new line). Every cell is quoted and made safe against CSV injection.
    /// </summary>
    public static string Report(IEnumerable<(IReadOnlyDictionary<string, string?> Cells, IReadOnlyList<string> Errors)> rows)
    {
        var csv = new StringBuilder();
        void Line(IEnumerable<string?> cells) => csv.Append(string.Join(",", cells.Select(c => "\"" + (c ?? "").Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append("\r\n");
        Line(UploadFile.Columns.Concat(UploadFile.ReportColumns));
        foreach (var (cells, errors) in rows)
        {
            var result = errors.Count == 0 ? "Validation passed" : $"{errors.Count} {(errors.Count == 1 ? "error" : "errors")} found";
            Line(UploadFile.Columns.Select(c => Safe(c, cells.GetValueOrDefault(c)))
                .Append(result)
                .Append(errors.Count == 0 ? null : Safe("Errors", string.Join(";\n", errors))));
        }

        return csv.ToString();
    }

    /// <summary>
    /// OWASP's rule: a value that starts with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe so a spreadsheet
    /// shows it as text. Code columns always get one (Excel would drop their leading zeros); uploading the report again
    /// removes it.
    /// </summary>
    public static string? Safe(string column, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var unsafeStart = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        return unsafeStart || (CodeColumns.Contains(column) && !value.StartsWith('\'')) ? "'" + value : value;
    }

    private static readonly HashSet<string> CodeColumns =
    [
        "hesa_id", "date_of_birth", "sex", "ethnicity", "disability1", "disability2", "disability3", "disability4", "disability5", "disability6",
        "disability7", "disability8", "disability9", "itt_aim", "training_route", "itt_qualification_aim", "course_subject_1", "course_subject_2",
        "course_subject_3", "study_mode", "itt_start_date", "itt_end_date", "course_age_range", "trainee_start_date", "pg_apprenticeship_start_date",
        "fund_code", "funding_method", "training_initiative", "additional_training_initiative", "uk_degree", "non_uk_degree", "degree_subject",
        "degree_grade", "degree_graduation_year", "awarding_institution",
    ];
}
