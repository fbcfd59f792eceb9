using System.Text;

namespace Register.TestKit;

/// <summary>CSV bulk upload files for the trainee API (spec §9): the template's columns and valid rows.</summary>
public static class TraineeCsv
{
    /// <summary>The v2026.1 template's columns, in its order.</summary>
    public static readonly string[] Columns =
    [
        "provider_trainee_id", "application_id", "hesa_id", "first_names", "last_name", "previous_last_name", "date_of_birth", "ni_number", "sex", "email",
        "nationality", "ethnicity", "disability1", "disability2", "disability3", "disability4", "disability5", "disability6", "disability7", "disability8",
        "disability9", "itt_aim", "training_route", "itt_qualification_aim", "course_subject_1", "course_subject_2", "course_subject_3", "study_mode",
        "itt_start_date", "itt_end_date", "course_age_range", "course_year", "training_partner_urn", "employing_school_urn", "trainee_start_date",
        "pg_apprenticeship_start_date", "fund_code", "funding_method", "training_initiative", "additional_training_initiative", "placement_1_urn",
        "placement_2_urn", "placement_3_urn", "uk_degree", "non_uk_degree", "degree_subject", "degree_grade", "degree_graduation_year",
        "awarding_institution", "degree_country", "iqts_country",
    ];

    /// <summary>A valid row for an academic cycle (the trainee tests' 2026 by default), its names and email numbered.</summary>
    public static Dictionary<string, string> Row(int n, int cycle = 2026) => new()
    {
        ["hesa_id"] = "'0310261553101",
        ["first_names"] = $"Trainee{n}",
        ["last_name"] = $"Csv{n}",
        ["date_of_birth"] = "1991-02-03",
        ["sex"] = "10",
        ["email"] = $"csv{n}@example.com",
        ["nationality"] = "GB",
        ["itt_aim"] = "202",
        ["training_route"] = "12",
        ["itt_qualification_aim"] = "'020",
        ["course_subject_1"] = "100403",
        ["study_mode"] = "'01",
        ["itt_start_date"] = $"{cycle}-09-01",
        ["itt_end_date"] = $"{cycle + 1}-07-31",
        ["course_age_range"] = "13918",
        ["course_year"] = "1",
        ["fund_code"] = "2",
        ["funding_method"] = "6",
        ["placement_2_urn"] = "900020",
        ["uk_degree"] = "'083",
        ["degree_subject"] = "100425",
        ["degree_grade"] = "'02",
        ["degree_graduation_year"] = "2012",
        ["awarding_institution"] = "'0116",
    };

    /// <summary>A file of <paramref name="rows"/> under <paramref name="columns"/> (the template's by default), values quoted where CSV needs it.</summary>
    public static string Make(IEnumerable<Dictionary<string, string>> rows, IReadOnlyList<string>? columns = null)
    {
        columns ??= Columns;
        var csv = new StringBuilder(string.Join(",", columns)).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(string.Join(",", columns.Select(c => row.TryGetValue(c, out var v) ? Quote(v) : ""))).Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string value) => value.Contains(',') || value.Contains('"') || value.Contains('\n') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
