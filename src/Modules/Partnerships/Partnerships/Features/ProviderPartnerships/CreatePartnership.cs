using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Security;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.ProviderPartnerships;

/// <summary>
/// <c>POST /support/partnerships</c>: an accredited provider (which must be accredited now) and a training
/// partner, with a start date, an optional end date and the academic years they deliver. The roles are
/// recorded as they are today; later accreditation changes do not rewrite them.
/// </summary>
internal static class CreatePartnership
{
    internal sealed record CreatePartnershipRequest(
        Guid? AccreditedProviderId, Guid? TrainingPartnerId, DateOnly? StartDate, DateOnly? EndDate, IReadOnlyList<int>? AcademicYears);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/partnerships", HandleAsync)
            .WithName("CreatePartnership")
            .WithSummary("Add a partnership between an accredited provider and a training partner")
            .Produces<PartnershipEnvelope>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        CreatePartnershipRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(created => TypedResults.Created($"/support/partnerships/{created.Id}", new PartnershipEnvelope(created)));
    }

    /// <summary>The partnership, or why not: 422 naming the fields, 409 when a partner is archived or the dates overlap another partnership of the pair.</summary>
    public static async Task<Outcome<PartnershipResponse>> RunAsync(TransactionRunner transactions, TimeProvider clock, CreatePartnershipRequest request, Actor actor, CancellationToken ct)
    {
        try
        {
            return await transactions.RunAsync(PartnershipsModule.Schema, async tx =>
            {
                var accredited = await PartnerProvider.FindAsync(tx.Connection!, request.AccreditedProviderId, tx, ct);
                var partner = await PartnerProvider.FindAsync(tx.Connection!, request.TrainingPartnerId, tx, ct);
                var errors = new List<ApiError>();
                if (request.AccreditedProviderId is null)
                {
                    errors.Add(new ApiError("accredited_provider_id", "Enter accredited provider name, code, UKPRN or URN"));
                }
                else if (accredited is null)
                {
                    errors.Add(new ApiError("accredited_provider_id", "accredited_provider_id is not a provider in the register"));
                }
                else if (accredited.AccreditationStatus != "accredited")
                {
                    errors.Add(new ApiError("accredited_provider_id", $"{accredited.OperatingName} is not accredited, so it cannot be the accredited provider"));
                }

                if (request.TrainingPartnerId is null)
                {
                    errors.Add(new ApiError("training_partner_id", "Enter training partner name, code, UKPRN or URN"));
                }
                else if (partner is null)
                {
                    errors.Add(new ApiError("training_partner_id", "training_partner_id is not a provider in the register"));
                }
                else if (partner.Id == request.AccreditedProviderId)
                {
                    errors.Add(new ApiError("training_partner_id", "A provider cannot be in partnership with itself"));
                }

                var terms = new PartnershipTerms(request.StartDate, request.EndDate, request.AcademicYears);
                errors.AddRange(terms.Errors());
                if (errors.Count > 0)
                {
                    return (Outcome<PartnershipResponse>)ApiErrors.Unprocessable(errors);
                }

                if (ArchivedPartners.Refusal(accredited!, partner!) is { } refusal)
                {
                    return ApiErrors.Conflict(refusal);
                }

                var now = clock.UtcNowForDatabase();
                var partnership = new ProviderPartnership
                {
                    Id = Guid.CreateVersion7(now),
                    AccreditedProviderId = accredited!.Id,
                    TrainingPartnerId = partner!.Id,
                    StartDate = request.StartDate!.Value,
                    EndDate = request.EndDate,
                    AcademicYears = request.AcademicYears!.Distinct().Order().ToArray(),
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                await PartnershipStore.InsertAsync(tx, partnership, ct);
                await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, partnership.Changed(RecordActions.Created, actor, now, null), ct);
                return await PartnershipResponse.FromAsync(tx.Connection!, partnership, tx, ct);
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return ApiErrors.Conflict(ArchivedPartners.Overlap);
        }
    }
}
