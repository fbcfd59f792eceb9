using System.ComponentModel;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Degrees;

// What the degree slices take and answer: documentation only (docs/adr/0018); the slices read RequestData and answer TraineeJson.Degree.

/// <summary>A degree: of a new trainee (<c>degrees_attributes</c>), a new one (<c>POST …/degrees</c>), or the fields to change (<c>PUT</c>/<c>PATCH</c>, partial).</summary>
[Description("A degree: a UK degree has uk_degree, institution and grade; a non-UK one has non_uk_degree and country.")]
internal sealed record DegreeRequest
{
    [Description("HESA DEGSBJ (HECoS) code of the degree's subject (GET /reference-data?field=degree_subject). Required.")]
    public string? Subject { get; init; }

    [Description("Year of graduation (DEGENDDT): YYYY, or a date YYYY-MM-DD whose year is taken; from next year − 60 to next year. Required.")]
    public string? GraduationYear { get; init; }

    [Description("HESA DEGEST code of a UK institution (GET /reference-data?field=institution).")]
    public string? Institution { get; init; }

    [Description("HESA DEGTYPE code of a UK degree (GET /reference-data?field=degree_type).")]
    public string? UkDegree { get; init; }

    [Description("HESA DEGCLSS code of a UK degree's grade (GET /reference-data?field=degree_grade).")]
    public string? Grade { get; init; }

    [Description("The grade in words, kept when grade is the code for other.")]
    public string? OtherGrade { get; init; }

    [Description("HESA DEGTYPE code of a non-UK degree.")]
    public string? NonUkDegree { get; init; }

    [Description("HESA DEGCTRY country code of a non-UK degree (GET /reference-data?field=country).")]
    public string? Country { get; init; }
}

[Description("{\"data\": the degree}.")]
internal sealed record DegreeRequestBody(DegreeRequest Data);

/// <summary>A degree as the API answers it (<see cref="Domain.TraineeJson.Degree"/>).</summary>
[ExactKeys]
[Description("A degree: HESA codes, null where the degree has none.")]
internal sealed record DegreeResponse
{
    [Description("HESA DEGTYPE code of a UK degree.")]
    public required string? UkDegree { get; init; }

    [Description("HESA DEGTYPE code of a non-UK degree.")]
    public required string? NonUkDegree { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    [Description("HESA DEGSBJ (HECoS) code.")]
    public required string? Subject { get; init; }

    [Description("HESA DEGEST code.")]
    public required string? Institution { get; init; }

    public required int? GraduationYear { get; init; }

    [Description("HESA DEGCLSS code.")]
    public required string? Grade { get; init; }

    [Description("HESA DEGCTRY code.")]
    public required string? Country { get; init; }

    public required string? OtherGrade { get; init; }

    public required string? InstitutionUuid { get; init; }

    public required string? UkDegreeUuid { get; init; }

    public required string? SubjectUuid { get; init; }

    public required string? GradeUuid { get; init; }

    [Description("Register's id of the degree.")]
    public required string DegreeId { get; init; }
}

[ExactKeys]
[Description("{\"data\": the degree}.")]
internal sealed record DegreeEnvelope(DegreeResponse Data);

[ExactKeys]
[Description("{\"data\": the trainee's degrees}.")]
internal sealed record DegreeList(IReadOnlyList<DegreeResponse> Data);

/// <summary>409: <c>{"errors":[{"error":"Conflict","message":"This is a duplicate degree"}],"data":[...]}</c>.</summary>
[ExactKeys]
[Description("The trainee already has this degree: the degrees it duplicates.")]
internal sealed record DegreeConflict(IReadOnlyList<TraineeApiError> Errors, IReadOnlyList<DegreeResponse> Data);
