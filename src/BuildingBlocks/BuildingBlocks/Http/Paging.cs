namespace Register.BuildingBlocks.Http;

/// <summary>A page of a list: <c>{"data":[...],"pagination":{"page":1,"per_page":25,"total_count":0,"total_pages":0}}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, Pagination Pagination);

public sealed record Pagination(int Page, int PerPage, long TotalCount, int TotalPages)
{
    public static Pagination Of(int page, int perPage, long totalCount) =>
        new(page, perPage, totalCount, (int)((totalCount + perPage - 1) / perPage));
}

/// <summary>The <c>page</c> and <c>per_page</c> query parameters, checked: a bad value is a 400 naming it.</summary>
public readonly record struct PageRequest(int Page, int PerPage)
{
    public const int MaxPage = 1_000_000;

    public long Offset => (long)(Page - 1) * PerPage;

    public static bool TryParse(string? page, string? perPage, int defaultPerPage, int maxPerPage, out PageRequest request, out ApiErrorResult? error)
    {
        request = default;
        error = null;
        var pageNumber = 1;
        var size = defaultPerPage;
        if (page is not null && (!int.TryParse(page, out pageNumber) || pageNumber < 1 || pageNumber > MaxPage))
        {
            error = ApiErrors.BadRequest($"page must be a whole number from 1 to {MaxPage}", "page");
            return false;
        }

        if (perPage is not null && (!int.TryParse(perPage, out size) || size < 1 || size > maxPerPage))
        {
            error = ApiErrors.BadRequest($"per_page must be a whole number from 1 to {maxPerPage}", "per_page");
            return false;
        }

        request = new PageRequest(pageNumber, size);
        return true;
    }
}
