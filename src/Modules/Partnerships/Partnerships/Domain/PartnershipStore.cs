using Dapper;
using Npgsql;

namespace Register.Partnerships.Domain;

internal static class PartnershipStore
{
    public static Task InsertAsync(NpgsqlTransaction tx, ProviderPartnership p, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partnerships.provider_partnerships
                (id, accredited_provider_id, training_partner_id, start_date, end_date, academic_years, created_at, updated_at)
            VALUES (@Id, @AccreditedProviderId, @TrainingPartnerId, @StartDate, @EndDate, @AcademicYears, @CreatedAt, @UpdatedAt)
            """,
            p, tx, cancellationToken: ct));

    public static Task UpdateTermsAsync(NpgsqlTransaction tx, ProviderPartnership p, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE partnerships.provider_partnerships SET start_date = @StartDate, end_date = @EndDate, academic_years = @AcademicYears, updated_at = @UpdatedAt WHERE id = @Id",
            p, tx, cancellationToken: ct));
}
