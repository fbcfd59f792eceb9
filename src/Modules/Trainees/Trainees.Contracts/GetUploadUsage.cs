using Mediator;

namespace Register.Trainees.Contracts;

/// <summary>
/// How providers used the CSV upload of trainees between two London days (inclusive, by when each upload was made), for the
/// support dashboard: per provider, and the reasons failed uploads failed. Holds no trainee's personal data: counts, and
/// error messages with any value they quote left out.
/// </summary>
/// <param name="LatestFailed">How many of the failed uploads, newest first, to list one by one.</param>
/// <param name="TopReasons">How many of the commonest reasons to give.</param>
public sealed record GetUploadUsage(DateOnly From, DateOnly To, int LatestFailed = 20, int TopReasons = 10) : IRequest<UploadUsage>;

public sealed record UploadUsage(IReadOnlyList<ProviderUploadUsage> Providers, IReadOnlyList<UploadFailureReason> Reasons, IReadOnlyList<FailedUpload> LatestFailed);

/// <summary>
/// One provider's uploads: how many, by outcome (<c>Open</c>: not yet finished — pending, validated or in progress), how
/// many in the browser (by a signed-in person) and how many by an API token, and the trainees the uploads that succeeded made.
/// </summary>
public sealed record ProviderUploadUsage(
    Guid ProviderId, int Uploads, int Succeeded, int Failed, int Cancelled, int Open, int InBrowser, int ByToken, int TraineesCreated);

/// <summary>
/// Why uploads failed: the upload's own failure (a run that could not finish) or a row's error, with any quoted value
/// replaced by '…'; in how many rows and how many uploads.
/// </summary>
public sealed record UploadFailureReason(string Reason, int Rows, int Uploads);

/// <summary>One failed upload: whose, when, how it was uploaded, its rows, and its commonest reason.</summary>
public sealed record FailedUpload(Guid ProviderId, DateTimeOffset CreatedAt, bool InBrowser, int TotalRows, int RowsFailed, string Reason);
