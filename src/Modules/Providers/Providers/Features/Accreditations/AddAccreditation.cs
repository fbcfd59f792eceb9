using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;
using Register.Providers.Features.Providers;

namespace Register.Providers.Features.Accreditations;

/// <summary><c>POST /support/providers/{id}/accreditations</c>: adds an accreditation; the provider's status then follows its accreditations.</summary>
internal static class AddAccreditation
{
    /// <param name="OpenEnded">On update, true clears the end date.</param>
    internal sealed record AccreditationRequest(string? Number, DateOnly? StartDate, DateOnly? EndDate, bool? OpenEnded = null)
    {
        public AccreditationDraft ToDraft() => new(Number?.Trim(), StartDate, EndDate);
    }

    internal sealed record AccreditationEnvelope(AccreditationResponse Data);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/providers/{providerId:guid}/accreditations", HandleAsync)
            .WithName("AddAccreditation")
            .WithSummary("Add an accreditation to a provider")
            .Produces<AccreditationEnvelope>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        Guid providerId, AccreditationRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RunAsync(transactions, clock, providerId, request.ToDraft(), http.Caller().Actor, ct);
        return outcome.ToApiResult(a => TypedResults.Created($"/support/providers/{providerId}/accreditations/{a.Id}", new AccreditationEnvelope(AccreditationResponse.From(a))));
    }

    public static Task<Outcome<Accreditation>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, Guid providerId, AccreditationDraft draft, Actor actor, CancellationToken ct) =>
        transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, error) = await EditableProvider.FindAsync(tx, providerId, ct);
            if (provider is null)
            {
                return (Outcome<Accreditation>)error!;
            }

            var errors = Validation.Errors(AccreditationDraftValidator.For(provider.ProviderType), draft).ToList();
            if (errors.Count > 0)
            {
                return ApiErrors.Unprocessable(errors);
            }

            var now = clock.UtcNowForDatabase();
            var accreditation = await PartStore.InsertAccreditationAsync(tx, provider.Id, draft, actor, now, ct);
            await ProviderStore.SyncAccreditationStatusAsync(tx, provider.Id, clock.TodayInLondon(), now, ct);
            return accreditation;
        }, ct);
}
