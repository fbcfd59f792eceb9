namespace Register.Trainees.Domain;

/// <summary>A degree of a trainee, as stored (HESA codes).</summary>
internal sealed record Degree
{
    public Guid Id { get; init; }

    public string Slug { get; init; } = "";

    public Guid TraineeId { get; init; }

    public string LocaleCode { get; init; } = "uk";

    public string? Subject { get; init; }

    public string? SubjectUuid { get; init; }

    public string? Institution { get; init; }

    public string? InstitutionUuid { get; init; }

    public string? UkDegree { get; init; }

    public string? UkDegreeUuid { get; init; }

    public string? NonUkDegree { get; init; }

    public string? Grade { get; init; }

    public string? GradeUuid { get; init; }

    public string? OtherGrade { get; init; }

    public string? Country { get; init; }

    public int? GraduationYear { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
