using Npgsql;

namespace Register.Baseline;

/// <summary>Commands with positional parameters ($1, $2...), as PostgreSQL's statement log shows Register's statements.</summary>
internal static class Db
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public static async Task<long> CountAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The query's rows, read whole, and its column names.</summary>
    public static async Task<(string[] Names, List<object?[]> Rows)> RowsAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync();
        var names = Json.Names(reader);
        return (names, await Json.ReadAllAsync(reader));
    }

    /// <summary>Several statements in ONE round trip (an NpgsqlBatch, as Dapper's QueryMultiple sends Register's): each one's column names and rows.</summary>
    public static async Task<List<(string[] Names, List<object?[]> Rows)>> BatchAsync(NpgsqlConnection connection, params (string Sql, object?[] Values)[] statements)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (sql, values) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync();
        var results = new List<(string[] Names, List<object?[]> Rows)>();
        do
        {
            results.Add((Json.Names(reader), await Json.ReadAllAsync(reader)));
        }
        while (await reader.NextResultAsync());
        return results;
    }

    public static int Query(HttpContext http, string name, int fallback) =>
        int.TryParse(http.Request.Query[name], System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    public static Task Unauthorized(HttpContext http) =>
        Json.RespondAsync(http, StatusCodes.Status401Unauthorized, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", "Unauthorized");
            json.WriteEndObject();
        });
}
