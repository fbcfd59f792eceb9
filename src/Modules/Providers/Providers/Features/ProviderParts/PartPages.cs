using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;
using Register.Providers.Domain;
using Register.Providers.Features.Providers;

namespace Register.Providers.Features.ProviderParts;

/// <summary>What the pages of one kind of part say and do; the flow is <see cref="PartPages"/>'s.</summary>
/// <param name="Segment">The tab's path segment: <c>accreditations</c>.</param>
/// <param name="Name">The part, in a sentence: <c>accreditation</c>.</param>
/// <param name="TabHeading">The tab's heading: <c>Accreditations</c>.</param>
internal sealed record PartJourney<TAnswers, TPart>(
    ProviderPartFormPage.PartKind Kind,
    string Segment,
    string Name,
    string TabHeading,
    string FormHeading,
    Func<FormReader, Provider, (TAnswers Answers, IReadOnlyList<ApiError> Errors)> Read,
    Func<TAnswers, IEnumerable<KeyValuePair<string, string?>>> Values,
    Func<TAnswers, string?, IReadOnlyList<AnswerRow>> Rows,
    Func<TPart, TAnswers> AnswersOf,
    Func<TPart, Guid> IdOf,
    Func<TPart, string> CardTitle,
    PartKind<TPart> Store,
    Func<TransactionRunner, TimeProvider, Guid, TAnswers, Actor, CancellationToken, Task<Outcome<TPart>>> Add,
    Func<TransactionRunner, TimeProvider, Guid, Guid, TAnswers, Actor, CancellationToken, Task<Outcome<TPart>>> Update,
    Func<TransactionRunner, TimeProvider, Guid, Guid, Actor, CancellationToken, Task<Outcome<TPart>>> Delete)
    where TAnswers : class
    where TPart : class
{
    /// <summary>What the part is called in a title: "Accreditation".</summary>
    public string Title => char.ToUpperInvariant(Name[0]) + Name[1..];

    public string OrderBy { get; init; } = "created_at, id";

    public string DeleteHeading(string provider, TPart part) => $"Confirm you want to delete {provider}’s {Name}";

    public string? DeleteWarning { get; init; }

    /// <summary>Rules that need the database (a contact's email used once per provider), checked on the form's step too.</summary>
    public Func<NpgsqlConnection, Provider, Guid?, TAnswers, CancellationToken, Task<IReadOnlyList<ApiError>>>? CheckAsync { get; init; }
}

/// <summary>
/// The pages of a provider's accreditations, addresses or contacts, as the reference has them: the tab
/// (<c>/providers/{id}/{segment}</c>), add (<c>…/new</c> → <c>…/new/check</c>), change (<c>…/{partId}/edit</c> →
/// <c>…/{partId}/check</c>) and delete (<c>…/{partId}/delete</c>), each saved through the part's API slice. An archived
/// provider's parts are read-only (409).
/// </summary>
internal static class PartPages
{
    public static void Map<TAnswers, TPart>(RouteGroupBuilder web, PartJourney<TAnswers, TPart> journey)
        where TAnswers : class
        where TPart : class
    {
        var tab = $"/providers/{{providerId:guid}}/{journey.Segment}";
        string Tab(Guid providerId) => $"/providers/{providerId}/{journey.Segment}";
        string NewJourney(Guid providerId) => $"providers/{providerId}/{journey.Segment}/new";
        string EditJourney(Guid providerId, Guid id) => $"providers/{providerId}/{journey.Segment}/{id}/edit";

        web.MapGet(tab, async (Guid providerId, HttpContext http, NpgsqlDataSource db) =>
        {
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            if (await Provider.FindAsync(connection, providerId, null, http.RequestAborted) is not { } provider)
            {
                return Pages.NotFound();
            }

            var parts = await PartQueries.ListAsync<TPart>(connection, journey.Store, providerId, journey.OrderBy, http.RequestAborted);
            return Pages.Show<ProviderPartsPage>(http, new ProviderPartsPage.PageModel(
                provider.Id, provider.OperatingName, provider.IsArchived, Tab(providerId), journey.TabHeading, $"Add {journey.Name}",
                $"There are no {journey.TabHeading.ToLowerInvariant()} for {provider.OperatingName}.",
                parts.Select(p => new ProviderPartsPage.Card(journey.IdOf(p), journey.CardTitle(p), journey.Rows(journey.AnswersOf(p), null))).ToList()));
        });

        // Add: form, check, save.
        web.MapGet(tab + "/new", async (Guid providerId, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditProviderPage.EditableAsync(db, providerId, http);
            return provider is null ? refusal!
                : Form(http, journey, provider, null, FormState.Of(await drafts.LoadAsync<TAnswers>(http, NewJourney(providerId)) is { } d ? journey.Values(d) : []));
        });
        web.MapPost(tab + "/new", async (Guid providerId, HttpContext http, IFormCollection form, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditProviderPage.EditableAsync(db, providerId, http);
            if (provider is null)
            {
                return refusal!;
            }

            var (answers, errors) = await ReadAsync(journey, form, provider, null, db, http.RequestAborted);
            if (errors.Count > 0)
            {
                return Pages.Invalid<ProviderPartFormPage>(http, FormModel(journey, provider, null, FormState.From(form, errors)));
            }

            await drafts.SaveAsync(http, NewJourney(providerId), answers);
            return Pages.Redirect($"{Tab(providerId)}/new/check");
        });
        web.MapGet(tab + "/new/check", async (Guid providerId, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, refusal) = await EditProviderPage.EditableAsync(db, providerId, http);
            return provider is null ? refusal!
                : await drafts.LoadAsync<TAnswers>(http, NewJourney(providerId)) is { } answers ? Check(http, journey, provider, null, answers)
                : Pages.Redirect($"{Tab(providerId)}/new");
        });
        web.MapPost(tab + "/new/check", async (Guid providerId, HttpContext http, NpgsqlDataSource db, Drafts drafts, TransactionRunner transactions, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<TAnswers>(http, NewJourney(providerId)) is not { } answers)
            {
                return Pages.Redirect($"{Tab(providerId)}/new");
            }

            var outcome = await journey.Add(transactions, clock, providerId, answers, http.SignedInUser().Actor, http.RequestAborted);
            return await drafts.FinishAsync(http, NewJourney(providerId), outcome,
                errors => CheckAgainAsync(http, db, journey, providerId, null, answers, errors), _ => Pages.Redirect($"/providers/{providerId}/{journey.Segment}", $"{journey.Title} added"));
        });

        // Change: form, check, save.
        web.MapGet(tab + "/{id:guid}/edit", async (Guid providerId, Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, part, refusal) = await FindAsync(db, journey, providerId, id, http);
            return provider is null ? refusal!
                : Form(http, journey, provider, id, FormState.Of(journey.Values(
                    (http.Request.Query["change"] == "true" ? await drafts.LoadAsync<TAnswers>(http, EditJourney(providerId, id)) : null) ?? journey.AnswersOf(part!))));
        });
        web.MapPost(tab + "/{id:guid}/edit", async (Guid providerId, Guid id, HttpContext http, IFormCollection form, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, _, refusal) = await FindAsync(db, journey, providerId, id, http);
            if (provider is null)
            {
                return refusal!;
            }

            var (answers, errors) = await ReadAsync(journey, form, provider, id, db, http.RequestAborted);
            if (errors.Count > 0)
            {
                return Pages.Invalid<ProviderPartFormPage>(http, FormModel(journey, provider, id, FormState.From(form, errors)));
            }

            await drafts.SaveAsync(http, EditJourney(providerId, id), answers);
            return Pages.Redirect($"{Tab(providerId)}/{id}/check");
        });
        web.MapGet(tab + "/{id:guid}/check", async (Guid providerId, Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts) =>
        {
            var (provider, _, refusal) = await FindAsync(db, journey, providerId, id, http);
            return provider is null ? refusal!
                : await drafts.LoadAsync<TAnswers>(http, EditJourney(providerId, id)) is { } answers ? Check(http, journey, provider, id, answers)
                : Pages.Redirect($"{Tab(providerId)}/{id}/edit");
        });
        web.MapPost(tab + "/{id:guid}/check", async (Guid providerId, Guid id, HttpContext http, NpgsqlDataSource db, Drafts drafts, TransactionRunner transactions, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<TAnswers>(http, EditJourney(providerId, id)) is not { } answers)
            {
                return Pages.Redirect($"{Tab(providerId)}/{id}/edit");
            }

            var outcome = await journey.Update(transactions, clock, providerId, id, answers, http.SignedInUser().Actor, http.RequestAborted);
            return await drafts.FinishAsync(http, EditJourney(providerId, id), outcome,
                errors => CheckAgainAsync(http, db, journey, providerId, id, answers, errors), _ => Pages.Redirect($"/providers/{providerId}/{journey.Segment}", $"{journey.Title} updated"));
        });

        // Delete: confirm, delete.
        web.MapGet(tab + "/{id:guid}/delete", async (Guid providerId, Guid id, HttpContext http, NpgsqlDataSource db) =>
        {
            var (provider, part, refusal) = await FindAsync(db, journey, providerId, id, http);
            return provider is null ? refusal!
                : Pages.Show<ConfirmPage>(http, new ConfirmPage.PageModel(
                    journey.DeleteHeading(provider.OperatingName, part!), $"Delete {journey.Name}", journey.DeleteHeading(provider.OperatingName, part!),
                    $"{Tab(providerId)}/{id}/delete", $"Delete {journey.Name}", Tab(providerId))
                {
                    Rows = journey.Rows(journey.AnswersOf(part!), null),
                    Warning = journey.DeleteWarning,
                });
        });
        web.MapPost(tab + "/{id:guid}/delete", async (Guid providerId, Guid id, HttpContext http, TransactionRunner transactions, TimeProvider clock) =>
        {
            var outcome = await journey.Delete(transactions, clock, providerId, id, http.SignedInUser().Actor, http.RequestAborted);
            return outcome.Succeeded ? Pages.Redirect(Tab(providerId), $"{journey.Title} deleted") : Pages.Problem(outcome.Error!);
        });
    }

    /// <summary>The form's answers, checked by the part's rules (and, when there are none broken, by those that need the database).</summary>
    private static async Task<(TAnswers Answers, IReadOnlyList<ApiError> Errors)> ReadAsync<TAnswers, TPart>(
        PartJourney<TAnswers, TPart> journey, IFormCollection form, Provider provider, Guid? id, NpgsqlDataSource db, CancellationToken ct)
        where TAnswers : class
        where TPart : class
    {
        var (answers, errors) = journey.Read(new FormReader(form), provider);
        if (errors.Count > 0 || journey.CheckAsync is null)
        {
            return (answers, errors);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        return (answers, await journey.CheckAsync(connection, provider, id, answers, ct));
    }

    private static async Task<(Provider? Provider, TPart? Part, IResult? Refusal)> FindAsync<TAnswers, TPart>(
        NpgsqlDataSource db, PartJourney<TAnswers, TPart> journey, Guid providerId, Guid id, HttpContext http)
        where TAnswers : class
        where TPart : class
    {
        var (provider, refusal) = await EditProviderPage.EditableAsync(db, providerId, http);
        if (provider is null)
        {
            return (null, null, refusal);
        }

        await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
        var part = await PartQueries.FindAsync<TPart>(connection, journey.Store, providerId, id, http.RequestAborted);
        return part is null ? (null, null, Pages.NotFound()) : (provider, part, null);
    }

    private static IResult Form<TAnswers, TPart>(HttpContext http, PartJourney<TAnswers, TPart> journey, Provider provider, Guid? id, FormState form)
        where TAnswers : class
        where TPart : class =>
        Pages.Show<ProviderPartFormPage>(http, FormModel(journey, provider, id, form));

    private static ProviderPartFormPage.PageModel FormModel<TAnswers, TPart>(PartJourney<TAnswers, TPart> journey, Provider provider, Guid? id, FormState form)
        where TAnswers : class
        where TPart : class
    {
        var tab = $"/providers/{provider.Id}/{journey.Segment}";
        var caption = id is null ? $"Add {journey.Name} - {provider.OperatingName}" : provider.OperatingName;
        return new ProviderPartFormPage.PageModel(
            journey.Kind, id is null ? $"Add {journey.Name} - {provider.OperatingName}" : $"Change {journey.Name} - {provider.OperatingName}", caption, journey.FormHeading,
            id is null ? $"{tab}/new" : $"{tab}/{id}/edit", tab, tab, provider.ProviderType, form);
    }

    private static IResult Check<TAnswers, TPart>(
        HttpContext http, PartJourney<TAnswers, TPart> journey, Provider provider, Guid? id, TAnswers answers, IReadOnlyList<ApiError>? errors = null)
        where TAnswers : class
        where TPart : class
    {
        var tab = $"/providers/{provider.Id}/{journey.Segment}";
        var step = id is null ? $"{tab}/new" : $"{tab}/{id}/edit?change=true";
        return CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            id is null ? $"Add {journey.Name} - {provider.OperatingName}" : provider.OperatingName, provider.OperatingName,
            [new AnswerSection(null, journey.Rows(answers, step))], id is null ? $"{tab}/new/check" : $"{tab}/{id}/check", $"Save {journey.Name}", tab, step)
        {
            Errors = errors,
            StepOf = _ => step,
        });
    }

    /// <summary>The check page again with the errors found on saving, unless the provider is gone or archived meanwhile.</summary>
    private static async Task<IResult> CheckAgainAsync<TAnswers, TPart>(
        HttpContext http, NpgsqlDataSource db, PartJourney<TAnswers, TPart> journey, Guid providerId, Guid? id, TAnswers answers, IReadOnlyList<ApiError> errors)
        where TAnswers : class
        where TPart : class
    {
        var (provider, refusal) = await EditProviderPage.EditableAsync(db, providerId, http);
        return provider is null ? refusal! : Check(http, journey, provider, id, answers, errors);
    }
}

internal static class PartQueries
{
    public static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlConnection connection, PartKind<T> kind, Guid providerId, string orderBy, CancellationToken ct) =>
        (await connection.QueryAsync<T>(new CommandDefinition(
            $"SELECT {kind.Columns} FROM providers.{kind.Table} WHERE provider_id = @providerId AND deleted_at IS NULL ORDER BY {orderBy}",
            new { providerId }, cancellationToken: ct))).AsList();

    public static Task<T?> FindAsync<T>(NpgsqlConnection connection, PartKind<T> kind, Guid providerId, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<T?>(new CommandDefinition(
            $"SELECT {kind.Columns} FROM providers.{kind.Table} WHERE id = @id AND provider_id = @providerId AND deleted_at IS NULL",
            new { id, providerId }, cancellationToken: ct));
}
