using System.ComponentModel;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Placements;

// What the placement slices take and answer: documentation only (docs/adr/0018); the slices read RequestData and answer TraineeJson.Placement.

/// <summary>A placement: of a new trainee (<c>placements_attributes</c>), a new one (<c>POST …/placements</c>), or the fields to change.</summary>
[Description("A placement at a school: by URN, or by name and postcode for a school without one.")]
internal sealed record PlacementRequest
{
    [Description("The school's URN, 6 digits; 900000 outside England and Wales, 900010 not applicable, 900020 no URN, 900030 not available.")]
    public string? Urn { get; init; }

    [Description("The school's name: required when Register has no school with that URN.")]
    public string? Name { get; init; }

    [Description("The school's postcode, a UK postcode.")]
    public string? Postcode { get; init; }
}

[Description("{\"data\": the placement}.")]
internal sealed record PlacementRequestBody(PlacementRequest Data);

/// <summary>A placement as the API answers it (<see cref="Domain.TraineeJson.Placement"/>).</summary>
[ExactKeys]
[Description("A placement; a school Register knows gives its name and postcode.")]
internal sealed record PlacementResponse
{
    public required string? Urn { get; init; }

    public required string? Name { get; init; }

    [Description("\"URN 123456, AB1 2CD\"; null for the URNs that name no school.")]
    public required string? Address { get; init; }

    public required string? Postcode { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    [Description("Register's id of the placement.")]
    public required string PlacementId { get; init; }
}

[ExactKeys]
[Description("{\"data\": the placement}.")]
internal sealed record PlacementEnvelope(PlacementResponse Data);

[ExactKeys]
[Description("{\"data\": the trainee's placements}.")]
internal sealed record PlacementList(IReadOnlyList<PlacementResponse> Data);
