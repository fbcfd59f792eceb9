using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;

namespace Register.Trainees.Features.Trs;

/// <summary>
/// The Teaching Regulation Service (TRS), as Register calls it: the reference's calls of TRS API version 20250627 (spec
/// §1.2). Two adapters: <see cref="SimulatedTeachingRegulationService"/> (the default, offline) and <see cref="TrsHttpClient"/>
/// (<c>Trs:BaseUrl</c>). Each answers with what TRS answered (<see cref="TrsAnswer{T}"/>: a success, or the HTTP status and
/// <c>errorCode</c> of a refusal); when TRS cannot be reached (connection refused, a timeout, the circuit open) it throws
/// <see cref="TrsUnavailableException"/>. The work Register owes TRS is <c>trainees.trs_requests</c>, done by <see cref="TrsWorker"/>.
/// </summary>
internal interface ITeachingRegulationService
{
    /// <summary>"simulator" or "http": what <c>/health/dependencies</c> shows.</summary>
    string Kind { get; }

    /// <summary><c>POST /v3/trn-requests</c>: 200 with the request's status (a TRN at once when Completed), or 409/10029 for a reused id.</summary>
    Task<TrsAnswer<TrnRequestInfo>> CreateTrnRequestAsync(TrnRequestBody body, CancellationToken ct);

    /// <summary><c>GET /v3/trn-requests?requestId=</c>: 200, 404/10031 (unknown id) or 400/10062 (rejected).</summary>
    Task<TrsAnswer<TrnRequestInfo>> GetTrnRequestAsync(string requestId, CancellationToken ct);

    /// <summary><c>PUT /v3/persons/{trn}</c>: 204, 404/10001, 400/10041, 10042, 10057 or a validation error.</summary>
    Task<TrsAnswer<bool>> SetPersonalDataAsync(string trn, PersonalDataBody body, CancellationToken ct);

    /// <summary><c>PUT /v3/persons/{trn}/routes-to-professional-statuses/{reference}</c>: 204, 404/10001, 400 with 10043–10056.</summary>
    Task<TrsAnswer<bool>> SetRouteAsync(string trn, string reference, RouteBody body, CancellationToken ct);

    /// <summary><c>GET /v3/persons/{trn}</c>: the teaching record as TRS has it (200), or 404/10001.</summary>
    Task<TrsAnswer<JsonElement>> GetPersonAsync(string trn, CancellationToken ct);
}

/// <summary>
/// What TRS answered: a success (<see cref="Value"/>), or a refusal with its HTTP status, <c>errorCode</c> and title
/// (ProblemDetails; a validation problem's field names in <see cref="Fields"/>, never its messages or values).
/// </summary>
internal sealed record TrsAnswer<T>(int Status, T? Value, int? ErrorCode = null, string? Title = null, IReadOnlyList<string>? Fields = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>TRS could not do it now but may later: a 5xx, 408 or 429, or an answer that is not TRS's own (401/403 wrong key, 404 without a code: wrong URL or version).</summary>
    public bool IsTransient => Status >= 500 || Status is 408 or 429 || (Status is 401 or 403 or 404 && ErrorCode is null);

    public static TrsAnswer<T> Success(int status, T value) => new(status, value);

    public static TrsAnswer<T> Refused(int status, int? errorCode, string? title, IReadOnlyList<string>? fields = null) => new(status, default, errorCode, title, fields);

    /// <summary>For <c>last_error</c> and the logs: the status, code and title, never a body (it may hold personal data).</summary>
    public string Describe()
    {
        var code = ErrorCode is { } c ? $", errorCode {c}" : "";
        var title = Title is { Length: > 0 } t ? $" ({Truncate(t)}{(Fields is { Count: > 0 } f ? ": " + string.Join(", ", f.Take(10)) : "")})" : "";
        return $"TRS answered {Status}{code}{title}";
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];
}

/// <summary>TRS could not be reached: no connection, no answer in time, or the circuit breaker open after repeated failures.</summary>
internal sealed class TrsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

internal static class TrsErrorCodes
{
    public const int PersonNotFound = 10001;
    public const int TrnRequestAlreadyCreated = 10029;
    public const int TrnRequestDoesNotExist = 10031;
    public const int PiiUpdatesForbidden = 10041;
    public const int PiiUpdatesForbiddenPersonHasQts = 10042;
    public const int RouteAlreadyHolds = 10052;
    public const int TrnRequestRejected = 10062;
}

/// <summary>TRN request status (20250425): Pending or Completed.</summary>
internal static class TrnRequestStatuses
{
    public const string Pending = "Pending";
    public const string Completed = "Completed";
}

/// <summary>The TRN request's answer (spec §1.4).</summary>
internal sealed record TrnRequestInfo
{
    public string RequestId { get; init; } = "";

    public string Status { get; init; } = "";

    public string? Trn { get; init; }

    public bool PotentialDuplicate { get; init; }

    public string? AccessYourTeachingQualificationsLink { get; init; }
}

/// <summary><c>POST /v3/trn-requests</c>'s body as the reference sends it (spec §1.3): nulls are sent.</summary>
internal sealed record TrnRequestBody
{
    public required string RequestId { get; init; }

    public required TrnRequestPerson Person { get; init; }

    public bool IdentityVerified { get; init; }

    public string? OneLoginUserSubject { get; init; }
}

internal sealed record TrnRequestPerson
{
    public required string? FirstName { get; init; }

    public required string? MiddleName { get; init; }

    public required string? LastName { get; init; }

    public required DateOnly? DateOfBirth { get; init; }

    public required IReadOnlyList<string> EmailAddresses { get; init; }

    /// <summary>Never sent (the reference sends null).</summary>
    public string? NationalInsuranceNumber { get; init; }

    public required string? Gender { get; init; }
}

/// <summary>
/// <c>PUT /v3/persons/{trn}</c>'s body as TRS's contract at 20250425 takes it (spec §1.5): one <c>emailAddress</c> (the
/// reference's <c>emailAddresses</c> array is not a member, so TRS ignored it and blanked the email), no NI number.
/// </summary>
internal sealed record PersonalDataBody
{
    public required string? FirstName { get; init; }

    /// <summary>A required property of TRS's contract: sent as null when the trainee has none.</summary>
    public required string? MiddleName { get; init; }

    public required string? LastName { get; init; }

    public required DateOnly? DateOfBirth { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EmailAddress { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gender { get; init; }
}

/// <summary>The route PUT's body (spec §1.6); keys whose value is null are not sent, as the reference.</summary>
internal sealed record RouteBody
{
    public required string RouteToProfessionalStatusTypeId { get; init; }

    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? HoldsFrom { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? TrainingStartDate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? TrainingEndDate { get; init; }

    public IReadOnlyList<string> TrainingSubjectReferences { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TrainingAgeSpecialism? TrainingAgeSpecialism { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrainingCountryReference { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrainingProviderUkprn { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DegreeTypeId { get; init; }
}

internal sealed record TrainingAgeSpecialism(string Type, int From, int To);

/// <summary>TRS's JSON: camelCase names, dates <c>yyyy-MM-dd</c> (spec §3.2).</summary>
internal static class TrsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

/// <summary><c>Trs:*</c>: which TRS, how long the simulator takes, and how often and how patiently Register asks.</summary>
internal sealed class TrsOptions
{
    /// <summary>TRS's API (e.g. <c>https://preprod.teacher-qualifications-api.education.gov.uk</c>): when set, Register calls it over HTTP instead of the simulator.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key TRS issued (a secret: give it through the environment, <c>Trs__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The TRS API minor version sent in <c>X-Api-Version</c>.</summary>
    public string ApiVersion { get; set; } = "20250627";

    /// <summary>Without <see cref="BaseUrl"/>: use the built-in simulator (default); false leaves the work queued in <c>trainees.trs_requests</c>.</summary>
    public bool Simulator { get; set; } = true;

    /// <summary>From submission to the TRN request.</summary>
    public TimeSpan TrnDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>From recommendation to the award (the route PUT with Holds).</summary>
    public TimeSpan AwardDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the worker looks for due work, and the first wait before asking TRS again for a pending TRN (each wait
    /// doubles, up to <see cref="MaxPollWait"/>); false for <see cref="BackgroundProcessing"/> leaves it to the caller.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two polls of a pending TRN request (TRS's staff may take days over a potential duplicate).</summary>
    public TimeSpan MaxPollWait { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One HTTP attempt's limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries of one call after a transient failure (5xx, 408, 429, timeout, connection error); later ones come from the queue.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The first quick retry's wait (exponential, with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the circuit stays open (calls fail at once) after most calls of the last 30 seconds failed.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The fewest calls in the sampling window before the circuit may open.</summary>
    public int CircuitMinimumCalls { get; set; } = 5;

    public bool BackgroundProcessing { get; set; } = true;

    /// <summary>How long <c>/health/dependencies</c> waits for TRS's answer to its probe.</summary>
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public bool UsesHttp => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>
    /// In sandbox mode (<c>Sandbox:Enabled</c>) TRS is quick, so that an SRS vendor sees a new trainee get its TRN, and a
    /// recommended one its award, within seconds: each delay and the poll interval not set in <c>Trs:*</c> are made short.
    /// </summary>
    public static void InSandbox(TrsOptions options, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            return;
        }

        var trs = configuration.GetSection("Trs");
        options.TrnDelay = trs["TrnDelay"] is null ? SandboxTrnDelay : options.TrnDelay;
        options.AwardDelay = trs["AwardDelay"] is null ? SandboxAwardDelay : options.AwardDelay;
        options.PollInterval = trs["PollInterval"] is null ? SandboxPollInterval : options.PollInterval;
    }

    public static TimeSpan SandboxTrnDelay { get; } = TimeSpan.FromSeconds(2);

    public static TimeSpan SandboxAwardDelay { get; } = TimeSpan.FromSeconds(5);

    public static TimeSpan SandboxPollInterval { get; } = TimeSpan.FromSeconds(1);
}
