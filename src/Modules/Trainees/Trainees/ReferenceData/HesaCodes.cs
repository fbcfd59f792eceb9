using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Register.Trainees.ReferenceData;

/// <summary>
/// The HESA code lists of the trainee API, read once from the YAML files embedded from <c>data/hesa</c>
/// (<c>codes/</c> for the values, <c>labels/</c> for the API's display labels).
/// </summary>
internal sealed class HesaCodes
{
    private static readonly Lazy<HesaCodes> Loaded = new(Load);

    private HesaCodes(IReadOnlyList<CodeList> lists)
    {
        Lists = lists;
        var byField = lists.ToDictionary(l => l.Field);
        CodeList Get(string field) => byField[field];
        Country = Get("country");
        CourseAgeRange = Get("course_age_range");
        CourseSubject = Get("course_subject");
        DegreeSubject = Get("degree_subject");
        DegreeGrade = Get("degree_grade");
        DegreeType = Get("degree_type");
        Disability = Get("disability");
        Ethnicity = Get("ethnicity");
        FundCode = Get("fund_code");
        FundingMethod = Get("funding_method");
        Institution = Get("institution");
        IttAim = Get("itt_aim");
        Nationality = Get("nationality");
        IttQualificationAim = Get("itt_qualification_aim");
        Sex = Get("sex");
        StudyMode = Get("study_mode");
        TrainingRoute = Get("training_route");
        TrainingInitiative = Get("training_initiative");
    }

    public static HesaCodes Instance => Loaded.Value;

    /// <summary>Every list, in the order the reference-data endpoint answers them.</summary>
    public IReadOnlyList<CodeList> Lists { get; }

    public CodeList Country { get; }

    public CodeList CourseAgeRange { get; }

    public CodeList CourseSubject { get; }

    public CodeList DegreeSubject { get; }

    public CodeList DegreeGrade { get; }

    public CodeList DegreeType { get; }

    public CodeList Disability { get; }

    public CodeList Ethnicity { get; }

    public CodeList FundCode { get; }

    public CodeList FundingMethod { get; }

    public CodeList Institution { get; }

    public CodeList IttAim { get; }

    public CodeList Nationality { get; }

    public CodeList IttQualificationAim { get; }

    public CodeList Sex { get; }

    public CodeList StudyMode { get; }

    public CodeList TrainingRoute { get; }

    public CodeList TrainingInitiative { get; }

    /// <summary>(reference-data field, codes file, labels file) — a labels file of null means the codes' display names are the labels.</summary>
    private static readonly (string Field, string Codes, string? Labels)[] Files =
    [
        ("country", "country", "country"),
        ("course_age_range", "course_age_range", "course_age_range"),
        ("course_subject", "course_subject", "course_subjects"),
        ("degree_subject", "degree_subject", "degree_subject"),
        ("degree_grade", "degree_grade", "grade"),
        ("degree_type", "degree_type", "degree_type"),
        ("disability", "disability", "disabilities"),
        ("ethnicity", "ethnicities", "ethnicity"),
        ("fund_code", "fund_code", "fund_code"),
        ("funding_method", "funding_method", "funding_method"),
        ("institution", "institution", "institution"),
        ("itt_aim", "itt_aim", "itt_aim"),
        ("nationality", "nationality", null),
        ("itt_qualification_aim", "itt_qualification_aim", "itt_qualification_aim"),
        ("sex", "sex", "sex"),
        ("study_mode", "study_mode", "study_mode"),
        ("training_route", "training_route", "training_route"),
        ("training_initiative", "training_initiative", "training_initiative"),
    ];

    private static HesaCodes Load() =>
        new(Files.Select(f => Read(f.Field, Yaml($"hesa.codes.{f.Codes}.yml"), f.Labels is null ? null : Yaml($"hesa.labels.{f.Labels}.yml"))).ToList());

    private static CodeList Read(string field, YamlMappingNode codes, YamlMappingNode? labels)
    {
        var metadata = (YamlMappingNode)codes["metadata"];
        var values = ((YamlSequenceNode)codes["data"]).Children.Cast<YamlMappingNode>().Select(entry => new ReferenceValue(
            Id: Scalar(entry, "id") ?? "",
            Name: Scalar(entry, "name") ?? "",
            DisplayName: Scalar(entry, "display_name") ?? "",
            Codes: Strings(entry, "hesa_codes"),
            StartYear: Year(entry, "start_year"),
            EndYear: Year(entry, "end_year"))).ToList();

        // A labels file is `en: { <list>: { "<code>": <label> } }`.
        var labelMap = labels is null
            ? new Dictionary<string, string>()
            : ((YamlMappingNode)((YamlMappingNode)labels["en"]).Children.Values.First()).Children
                .ToDictionary(p => p.Key.ToString(), p => p.Value.ToString());
        return new CodeList(field, Scalar(metadata, "name") ?? field, Scalar(metadata, "display_name") ?? field,
            Scalar(metadata, "description"), values, labelMap);
    }

    /// <summary>A scalar as text; a sequence (course_age_range ids are <c>[3, 11]</c>) as its items joined with commas.</summary>
    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value)
            ? value switch
            {
                YamlScalarNode { Value: var text } => text,
                YamlSequenceNode sequence => string.Join(",", sequence.Children.Select(c => c.ToString())),
                _ => null,
            }
            : null;

    private static List<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.Select(c => c.ToString()).Where(c => c.Length > 0).ToList()
            : [];

    private static int? Year(YamlMappingNode node, string key) =>
        int.TryParse(Scalar(node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : null;

    private static YamlMappingNode Yaml(string resource)
    {
        using var stream = typeof(HesaCodes).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded reference data {resource} is missing: is data/hesa complete?");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
