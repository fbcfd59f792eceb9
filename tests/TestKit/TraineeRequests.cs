namespace Register.TestKit;

/// <summary>Valid trainee bodies for the trainee API (by default for the trainee tests' date, 15 September 2026).</summary>
public static class TraineeRequests
{
    /// <summary>The academic cycle today is in, for tests on the real clock.</summary>
    public static int CurrentCycle => DateTime.UtcNow.Month >= 8 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;

    /// <summary>A provider-led postgraduate maths trainee, 11 to 16, with a UK degree and no funding, starting on 1 September of the cycle.</summary>
    public static Dictionary<string, object?> Valid(int cycle = 2026) => new()
    {
        ["first_names"] = "John",
        ["last_name"] = "Doe",
        ["date_of_birth"] = "1990-01-01",
        ["sex"] = "11",
        ["email"] = "john.doe@example.com",
        ["nationality"] = "GB",
        ["training_route"] = "12",
        ["itt_start_date"] = $"{cycle}-09-01",
        ["itt_end_date"] = $"{cycle + 1}-07-31",
        ["course_subject_1"] = "100403",
        ["study_mode"] = "01",
        ["itt_aim"] = "202",
        ["itt_qualification_aim"] = "020",
        ["course_year"] = "1",
        ["course_age_range"] = "13918",
        ["fund_code"] = "2",
        ["funding_method"] = "6",
        ["hesa_id"] = "0310261553101",
        ["degrees_attributes"] = new[] { UkDegree() },
    };

    /// <summary>The same trainee in v2025.0's names.</summary>
    public static Dictionary<string, object?> ValidV2025() => Valid().Renamed("course_subject_1", "course_subject_one");

    public static Dictionary<string, object?> UkDegree() => new()
    {
        ["grade"] = "02",
        ["subject"] = "100425",
        ["institution"] = "0116",
        ["uk_degree"] = "083",
        ["graduation_year"] = "2012",
    };

    public static Dictionary<string, object?> NonUkDegree() => new()
    {
        ["subject"] = "100425",
        ["non_uk_degree"] = "083",
        ["country"] = "FR",
        ["graduation_year"] = "2012-06-30",
    };

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> request, params string[] fields)
    {
        foreach (var field in fields)
        {
            request.Remove(field);
        }

        return request;
    }

    public static Dictionary<string, object?> Renamed(this Dictionary<string, object?> request, string from, string to)
    {
        if (request.Remove(from, out var value))
        {
            request[to] = value;
        }

        return request;
    }
}
