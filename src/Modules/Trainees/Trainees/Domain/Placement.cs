namespace Register.Trainees.Domain;

/// <summary>A placement of a trainee: a school by URN (linked when Register knows it), or a named place.</summary>
internal sealed record Placement
{
    public Guid Id { get; init; }

    public string Slug { get; init; } = "";

    public Guid TraineeId { get; init; }

    public string? Urn { get; init; }

    public string? Name { get; init; }

    public string? Postcode { get; init; }

    public Guid? SchoolId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
