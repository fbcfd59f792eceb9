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

/// <summary><c>PATCH /support/partnerships/{id}</c>: changes the dates and academic years given; the partners are fixed.</summary>
internal static class UpdatePartnership
{
    internal sealed record UpdatePartnershipRequest(DateOnly? StartDate, DateOnly? EndDate, bool? OpenEnded, IReadOnlyList<int>? AcademicYears);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/partnerships/{id:guid}", HandleAsync)
            .WithName("UpdatePartnership")
            .WithSummary("Change a partnership's dates and academic years (open_ended: true clears the end date)")
            .Produces<PartnershipEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid id, UpdatePartnershipRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, id, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(updated => TypedResults.Ok(new PartnershipEnvelope(updated)));
    }

    public static async Task<Outcome<PartnershipResponse>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid id, UpdatePartnershipRequest request, Actor actor, CancellationToken ct)
    {
        try
        {
            return await transactions.RunAsync(PartnershipsModule.Schema, async tx =>
            {
                var before = await ProviderPartnership.FindAsync(tx.Connection!, id, tx, ct);
                if (before is null)
                {
                    return (Outcome<PartnershipResponse>)ApiErrors.NotFound("Partnership not found");
                }

                if (await ArchivedPartners.RefusalAsync(tx, before, ct) is { } refusal)
                {
                    return ApiErrors.Conflict(refusal);
                }

                var terms = new PartnershipTerms(
                    request.StartDate ?? before.StartDate,
                    request.OpenEnded == true ? null : request.EndDate ?? before.EndDate,
                    request.AcademicYears ?? before.AcademicYears);
                var errors = terms.Errors().ToList();
                if (errors.Count > 0)
                {
                    return ApiErrors.Unprocessable(errors);
                }

                var now = clock.UtcNowForDatabase();
                var after = before with
                {
                    StartDate = terms.StartDate!.Value,
                    EndDate = terms.EndDate,
                    AcademicYears = terms.AcademicYears!.Distinct().Order().ToArray(),
                    UpdatedAt = now,
                };
                if (after.Fields() != before.Fields())
                {
                    await PartnershipStore.UpdateTermsAsync(tx, after, ct);
                    await Outbox.EnqueueAsync(tx, PartnershipsModule.Schema, after.Changed(RecordActions.Updated, actor, now, before), ct);
                }
                else
                {
                    after = before;
                }

                return await PartnershipResponse.FromAsync(tx.Connection!, after, tx, ct);
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return ApiErrors.Conflict(ArchivedPartners.Overlap);
        }
    }
}
