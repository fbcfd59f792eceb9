using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Accreditations;

/// <summary><c>DELETE /support/providers/{id}/accreditations/{accreditationId}</c>: a soft delete; the provider's status then follows what is left.</summary>
internal static class DeleteAccreditation
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapDelete("/providers/{providerId:guid}/accreditations/{id:guid}", HandleAsync)
            .WithName("DeleteAccreditation")
            .WithSummary("Delete an accreditation")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(Guid providerId, Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var actor = http.Caller().Actor;
        return await transactions.RunAsync(ProvidersModule.Schema, async tx =>
        {
            var (provider, error) = await EditableProvider.FindAsync(tx, providerId, ct);
            if (provider is null)
            {
                return error!;
            }

            var accreditation = await EditableProvider.FindPartAsync<Accreditation>(tx, "accreditations", Accreditation.Columns, providerId, id, ct);
            if (accreditation is null)
            {
                return EditableProvider.PartNotFound("Accreditation");
            }

            var now = clock.UtcNowForDatabase();
            await PartStore.DeleteAsync(tx, "accreditations", "accreditation", id, providerId, FieldChanges.Between(accreditation.Fields(), null), actor, now, ct);
            await ProviderStore.SyncAccreditationStatusAsync(tx, providerId, clock.TodayInLondon(), now, ct);
            return TypedResults.NoContent();
        }, ct);
    }
}
