using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>PATCH /support/providers/{id}</c>: changes the fields given (a blank string clears an optional one).
/// Type and accreditation status are not edited here: the status follows the accreditations. The RoTP Id
/// never changes. Archived providers are read-only (409).
/// </summary>
internal static class UpdateProvider
{
    internal sealed record UpdateProviderRequest(
        string? OperatingName,
        string? LegalName,
        string? Code,
        string? Ukprn,
        string? Urn,
        DateOnly? OnboardedOn,
        DateOnly? FirstActiveOn,
        IReadOnlyList<CreateProvider.InactivePeriodRequest?>? InactivePeriods);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPatch("/providers/{id:guid}", HandleAsync)
            .WithName("UpdateProvider")
            .WithSummary("Change a provider's details")
            .Produces<ProviderEnvelope>()
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid id, UpdateProviderRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, id, request, http.Caller().Actor, ct);
        return outcome.ToApiResult(updated => TypedResults.Ok(new ProviderEnvelope(updated)));
    }

    public static async Task<Outcome<ProviderResponse>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid id, UpdateProviderRequest request, Actor actor, CancellationToken ct)
    {
        try
        {
            return await transactions.RunAsync(ProvidersModule.Schema, async tx =>
            {
                var (provider, error) = await EditableProvider.FindAsync(tx, id, ct);
                if (provider is null)
                {
                    return (Outcome<ProviderResponse>)error!;
                }

                var (periods, periodErrors) = CreateProvider.InactivePeriodRequest.Read(request.InactivePeriods ?? []);
                var draft = new ProviderDraft(
                    request.OperatingName ?? provider.OperatingName,
                    request.LegalName ?? provider.LegalName,
                    provider.ProviderType,
                    provider.AccreditationStatus,
                    request.Code ?? provider.Code,
                    request.Ukprn ?? provider.Ukprn,
                    request.Urn ?? provider.Urn,
                    request.OnboardedOn ?? provider.OnboardedOn,
                    request.FirstActiveOn ?? provider.FirstActiveOn,
                    request.InactivePeriods is null ? provider.InactivePeriods : periods).Normalised();
                var errors = Validation.Errors(ProviderDraftValidator.Instance, draft).Concat(periodErrors).ToList();
                if (errors.Count == 0 && await ProviderStore.CodeTakenAsync(tx, draft.Code!, provider.Id, ct))
                {
                    errors.Add(new ApiError("code", "Enter a unique provider code"));
                }

                if (errors.Count > 0)
                {
                    return ApiErrors.Unprocessable(errors);
                }

                var updated = await ProviderStore.UpdateAsync(tx, provider, draft, actor, clock.UtcNowForDatabase(), ct);
                return await ProviderResponse.FullAsync(tx.Connection!, updated, clock, ct, tx);
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "providers_code_key")
        {
            // Another request took the code between our check and our update.
            return ApiErrors.Unprocessable([new ApiError("code", "Enter a unique provider code")]);
        }
    }
}
