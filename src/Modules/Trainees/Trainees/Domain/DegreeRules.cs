using System.Globalization;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Domain;

/// <summary>
/// A degree as a request describes it, mapped to HESA codes (spec §4.3): an unknown subject or grade is no value (so the
/// "must be entered" message), an unknown country or degree type is kept to be named in its message, an unknown UK
/// institution is "Other UK". UK or not follows from the country and institution.
/// </summary>
internal sealed record DegreeDraft
{
    public string LocaleCode { get; init; } = DegreeRules.Uk;

    public ReferenceValue? Subject { get; init; }

    public ReferenceValue? Institution { get; init; }

    public ReferenceValue? UkDegree { get; init; }

    public ReferenceValue? NonUkDegree { get; init; }

    public ReferenceValue? Grade { get; init; }

    public string? OtherGrade { get; init; }

    public ReferenceValue? Country { get; init; }

    /// <summary>The graduation year as the reference reads it (the year of a date, else the leading number); null when not sent.</summary>
    public int? GraduationYear { get; init; }

    /// <summary>Codes sent that are not in their lists, by field (country, uk_degree, non_uk_degree), for the inclusion message.</summary>
    public IReadOnlyDictionary<string, string> Unknown { get; init; } = new Dictionary<string, string>();

    /// <summary>What duplicate checks compare: the values that are there and known.</summary>
    public IReadOnlyList<(string Field, string Value)> DuplicateKey =>
        new (string Field, string? Value)[]
        {
            ("subject", Subject?.Code), ("graduation_year", GraduationYear?.ToString(CultureInfo.InvariantCulture)), ("country", Country?.Code),
            ("uk_degree", UkDegree?.Code), ("non_uk_degree", NonUkDegree?.Code), ("grade", Grade?.Code),
        }.Where(p => p.Value is not null).Select(p => (p.Field, p.Value!)).ToList();

    public Degree ToDegree(Degree template) => template with
    {
        LocaleCode = LocaleCode,
        Subject = Subject?.Code,
        SubjectUuid = Subject?.Id,
        Institution = Institution?.Code,
        InstitutionUuid = Institution?.Id,
        UkDegree = UkDegree?.Code,
        UkDegreeUuid = UkDegree?.Id,
        NonUkDegree = NonUkDegree?.Code,
        Grade = Grade?.Code,
        GradeUuid = Grade?.Id,
        OtherGrade = OtherGrade,
        Country = Country?.Code,
        GraduationYear = GraduationYear,
    };
}

internal static class DegreeRules
{
    public const string Uk = "uk";
    public const string NonUk = "non_uk";

    private static readonly HashSet<string> UkCountries = ["XF", "XG", "XH", "XI", "XK"];

    private const string EnteredIfDegree = "must be entered if specifying a previous UK degree or non-UK degree";

    /// <summary>A new degree from the fields sent.</summary>
    public static DegreeDraft Map(RequestData data)
    {
        var codes = HesaCodes.Instance;
        var unknown = new Dictionary<string, string>();
        var countryText = data.Text("country");
        var country = codes.Country.ByCode(countryText);
        if (countryText is not null && country is null)
        {
            unknown["country"] = countryText;
        }

        var institutionText = data.Text("institution");
        var uk = (countryText is null || (country?.Code is { } c && UkCountries.Contains(c))) || institutionText is not null;
        var grade = codes.DegreeGrade.ByCode(data.Text("grade") is "09" ? "14" : data.Text("grade"));
        ReferenceValue? TypeOf(string field)
        {
            var text = data.Text(field);
            var type = codes.DegreeType.ByCode(text);
            if (text is not null && type is null)
            {
                unknown[field] = text;
            }

            return type;
        }

        return new DegreeDraft
        {
            LocaleCode = uk ? Uk : NonUk,
            Subject = codes.DegreeSubject.ByCode(data.Text("subject")),
            Institution = uk && institutionText is not null ? Institution(institutionText) : null,
            UkDegree = uk ? TypeOf("uk_degree") : null,
            NonUkDegree = uk ? null : TypeOf("non_uk_degree"),
            Grade = grade,
            OtherGrade = grade?.Name == "other" ? data.Text("other_grade") : null,
            Country = uk ? null : country,
            GraduationYear = GraduationYear(data.Text("graduation_year")),
            Unknown = uk ? unknown.Where(u => u.Key != "country").ToDictionary() : unknown,
        };
    }

    /// <summary>
    /// A stored degree with the fields sent laid on top (PUT and PATCH are partial). Sending a degree type also recomputes
    /// whether the degree is a UK one, and so its country and other type, from what was sent.
    /// </summary>
    public static DegreeDraft Merge(Degree stored, RequestData data)
    {
        var codes = HesaCodes.Instance;
        var sent = Map(data);
        var draft = new DegreeDraft
        {
            LocaleCode = stored.LocaleCode,
            Subject = data.Has("subject") ? sent.Subject : codes.DegreeSubject.ByCode(stored.Subject),
            Institution = data.Has("institution") ? sent.Institution : stored.Institution is null && stored.InstitutionUuid is not null
                ? codes.Institution.ById(stored.InstitutionUuid)
                : codes.Institution.ByCode(stored.Institution),
            UkDegree = codes.DegreeType.ByCode(stored.UkDegree),
            NonUkDegree = codes.DegreeType.ByCode(stored.NonUkDegree),
            Grade = data.Has("grade") ? sent.Grade : codes.DegreeGrade.ByCode(stored.Grade),
            OtherGrade = data.Has("other_grade") ? sent.OtherGrade : stored.OtherGrade,
            Country = data.Has("country") ? sent.Country : codes.Country.ByCode(stored.Country),
            GraduationYear = data.Has("graduation_year") ? sent.GraduationYear : stored.GraduationYear,
            Unknown = sent.Unknown.Where(u => data.Has(u.Key)).ToDictionary(),
        };
        return data.Has("uk_degree") || data.Has("non_uk_degree")
            ? draft with { LocaleCode = sent.LocaleCode, UkDegree = sent.UkDegree, NonUkDegree = sent.NonUkDegree, Country = sent.Country }
            : draft;
    }

    /// <summary>The reference's degree rules, in its order (spec §4.3, §6.4).</summary>
    public static IEnumerable<TraineeError> Validate(DegreeDraft degree, DateOnly today)
    {
        var codes = HesaCodes.Instance;
        var nextYear = today.Year + 1;
        if (degree.GraduationYear is not { } year)
        {
            yield return new("graduation_year", EnteredIfDegree);
        }
        else
        {
            if (year > nextYear)
            {
                yield return new("graduation_year", "must be in the past, for example 2014");
            }

            if (year < nextYear - 60 || year > nextYear)
            {
                yield return new("graduation_year", "is invalid");
            }
        }

        if (degree.Subject is null)
        {
            yield return new("subject", EnteredIfDegree);
        }

        if (degree.LocaleCode == NonUk && degree.Unknown.TryGetValue("country", out var country))
        {
            yield return new("country", codes.Country.InvalidValueMessage(country));
        }

        if (degree.LocaleCode == Uk)
        {
            if (degree.Institution is null)
            {
                yield return new("institution", "can't be blank");
            }

            if (degree.UkDegree is null && !degree.Unknown.ContainsKey("uk_degree"))
            {
                yield return new("uk_degree", "must be entered if specifying a previous UK degree");
            }

            if (degree.Grade is null)
            {
                yield return new("grade", EnteredIfDegree);
            }

            if (degree.Unknown.TryGetValue("uk_degree", out var type))
            {
                yield return new("uk_degree", codes.DegreeType.InvalidValueMessage(type));
            }
        }
        else
        {
            if (degree.Country is null && !degree.Unknown.ContainsKey("country"))
            {
                yield return new("country", "can't be blank");
            }

            if (degree.NonUkDegree is null && !degree.Unknown.ContainsKey("non_uk_degree"))
            {
                yield return new("non_uk_degree", "must be entered if specifying a previous non-UK degree");
            }

            if (degree.Unknown.TryGetValue("non_uk_degree", out var type))
            {
                yield return new("non_uk_degree", codes.DegreeType.InvalidValueMessage(type));
            }
        }
    }

    /// <summary>
    /// The degrees among <paramref name="others"/> that <paramref name="degree"/> duplicates: every value it has (of subject,
    /// graduation year, country, type and grade) is the same.
    /// </summary>
    public static IReadOnlyList<Degree> Duplicates(DegreeDraft degree, IEnumerable<Degree> others)
    {
        var key = degree.DuplicateKey;
        if (key.Count == 0)
        {
            return [];
        }

        return others.Where(o => key.All(k => k.Value == k.Field switch
        {
            "subject" => o.Subject,
            "graduation_year" => o.GraduationYear?.ToString(CultureInfo.InvariantCulture),
            "country" => o.Country,
            "uk_degree" => o.UkDegree,
            "non_uk_degree" => o.NonUkDegree,
            _ => o.Grade,
        })).ToList();
    }

    /// <summary>An institution by its HESA code (the Institute of Education is now UCL); an unknown one is "Other UK".</summary>
    private static ReferenceValue? Institution(string code)
    {
        var list = HesaCodes.Instance.Institution;
        return list.ByCode(code == "0133" ? "0149" : code) ?? list.ByName("other_uk");
    }

    /// <summary>
    /// <c>2014</c> or <c>2014-06-30</c> is 2014; otherwise, as the reference reads a number, the digits it starts with
    /// (<c>abc</c> is 0, so "is invalid").
    /// </summary>
    private static int? GraduationYear(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.Year;
        }

        var digits = new string(text.TrimStart().TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? 0 : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : int.MaxValue;
    }
}
