using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Access.Tokens;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.BuildingBlocks.Web;
using Register.BuildingBlocks.Web.Forms;
using Register.BuildingBlocks.Web.Layout;

namespace Register.Access.Features.ApiClients;

/// <summary>
/// "Add API client": <c>/api-clients/new</c> (name, expiry) → <c>/api-clients/new/check</c> (a warning that the token is
/// shown once) → saved by <see cref="CreateApiClient.IssueAsync"/> as a <c>providers_api</c> client; the answer shows the
/// token in a panel, this once.
/// </summary>
public sealed partial class AddApiClientPage
{
    private const string Journey = "api-clients/new";

    public sealed record Draft(string Name, DateOnly ExpiresOn);

    public sealed record PageModel(FormState Form, string ExpiryHint);

    [Parameter, EditorRequired] public PageModel Model { get; set; } = default!;

    internal static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/api-clients/new", async (HttpContext http, Drafts drafts, TimeProvider clock) =>
        {
            var draft = await drafts.LoadAsync<Draft>(http, Journey);
            var form = draft is null ? FormState.Empty : FormState.Of([new("name", draft.Name), .. FormState.DateValues("expires_on", draft.ExpiresOn)]);
            return Pages.Show<AddApiClientPage>(http, new PageModel(form, Hint(clock)));
        });

        web.MapPost("/api-clients/new", async (HttpContext http, IFormCollection form, Drafts drafts, NpgsqlDataSource db, TimeProvider clock) =>
        {
            var reader = new FormReader(form);
            var name = reader.Text("name")?.Trim() ?? "";
            var expiresOn = reader.Date("expires_on", "Expiry date");
            await using var connection = await db.OpenConnectionAsync(http.RequestAborted);
            var errors = reader.Merge(await ErrorsAsync(connection, name, expiresOn, clock, http.RequestAborted));
            if (errors.Count > 0)
            {
                return Pages.Invalid<AddApiClientPage>(http, new PageModel(FormState.From(form, errors), Hint(clock)));
            }

            await drafts.SaveAsync(http, Journey, new Draft(name, expiresOn!.Value));
            return Pages.Redirect("/api-clients/new/check");
        });

        web.MapGet("/api-clients/new/check", async (HttpContext http, Drafts drafts) =>
            await drafts.LoadAsync<Draft>(http, Journey) is { } draft ? Check(http, draft) : Pages.Redirect("/api-clients/new"));

        web.MapPost("/api-clients/new/check", async (HttpContext http, Drafts drafts, TransactionRunner transactions, TokenHasher hasher, TimeProvider clock) =>
        {
            if (await drafts.LoadAsync<Draft>(http, Journey) is not { } draft)
            {
                return Pages.Redirect("/api-clients/new");
            }

            var issued = await CreateApiClient.IssueAsync(transactions, hasher, clock,
                new CreateApiClient.CreateApiClientRequest(draft.Name, ApiAudiences.ProvidersApi, null, draft.ExpiresOn), http.SignedInUser().Actor, http.RequestAborted);
            if (issued.Refusal is { } refusal)
            {
                return Check(http, draft, [ForPeople(refusal, clock)]);
            }

            await drafts.DeleteAsync(http, Journey);
            return Pages.Show<ApiClientCreatedPage>(http, new ApiClientCreatedPage.PageModel(issued.Client!.Id, issued.Client.Name, issued.Token!));
        });
    }

    /// <summary>The create rules (<see cref="CreateApiClient.Validator"/>) for a providers API client, in the reference's words, and the name's uniqueness.</summary>
    internal static async Task<IReadOnlyList<ApiError>> ErrorsAsync(NpgsqlConnection connection, string name, DateOnly? expiresOn, TimeProvider clock, CancellationToken ct, Guid? except = null)
    {
        var request = new CreateApiClient.CreateApiClientRequest(name, ApiAudiences.ProvidersApi, null, expiresOn);
        var errors = new CreateApiClient.Validator(clock).Validate(request).Errors
            .Where(e => e.PropertyName is "name" or "expires_on")
            .Select(e => ForPeople(new ApiError(e.PropertyName, e.ErrorMessage), clock, name))
            .ToList();
        if (expiresOn is null)
        {
            errors.Add(new ApiError("expires_on", "Enter expiry date"));
        }

        if (!errors.Any(e => e.Field == "name") && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM access.api_clients WHERE lower(name) = lower(@name) AND deleted_at IS NULL AND (@except::uuid IS NULL OR id <> @except))",
                new { name, except }, cancellationToken: ct)))
        {
            errors.Add(new ApiError("name", "Client name must be unique"));
        }

        return errors;
    }

    /// <summary>The API's messages, as the reference's pages say them.</summary>
    internal static ApiError ForPeople(ApiError error, TimeProvider clock, string? name = null) => error.Field switch
    {
        "name" when string.IsNullOrWhiteSpace(name) && error.Message.Contains("blank", StringComparison.Ordinal) => error with { Message = "Enter client name" },
        "name" when error.Message.Contains("too long", StringComparison.Ordinal) => error with { Message = $"Client name must be {CreateApiClient.MaxNameLength} characters or fewer" },
        "name" when error.Message.Contains("taken", StringComparison.Ordinal) => error with { Message = "Client name must be unique" },
        "name" when error.Message.Contains("control", StringComparison.Ordinal) => error with { Message = "Client name must not contain control characters" },
        "expires_on" => error with
        {
            Message = $"Expiry date must be between {Formats.Date(clock.TodayInLondon())} and {Formats.Date(ExpiryRule.Default(ApiAudiences.ProvidersApi, clock.TodayInLondon()))}",
        },
        _ => error,
    };

    private static string Hint(TimeProvider clock) =>
        $"Must be within the next 12 months. For example, {clock.TodayInLondon().AddYears(1):d M yyyy}";

    private static IResult Check(HttpContext http, Draft draft, IReadOnlyList<ApiError>? errors = null) =>
        CheckAnswersPage.Show(http, new CheckAnswersPage.PageModel(
            "Add API client", "Add API client", [new AnswerSection(null, ApiClientPages.Rows(draft.Name, draft.ExpiresOn, "/api-clients/new"))],
            "/api-clients/new/check", "Save API client", "/api-clients", "/api-clients/new")
        {
            Warning = "An authentication token will be created and shown once on the next page.",
            Errors = errors,
            StepOf = _ => "/api-clients/new",
        });
}
