using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Register.Baseline;

/// <summary>Generic JSON writing: a row is an object of its columns' names and values, as Utf8JsonWriter writes them.</summary>
internal static class Json
{
    /// <summary>Writes the reader's current row's columns (inside an object the caller opened).</summary>
    public static void WriteColumns(Utf8JsonWriter json, NpgsqlDataReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            json.WritePropertyName(reader.GetName(i));
            if (reader.IsDBNull(i))
            {
                json.WriteNullValue();
            }
            else if (reader.GetDataTypeName(i) is "jsonb" or "json")
            {
                json.WriteRawValue(reader.GetString(i), skipInputValidation: true);
            }
            else
            {
                WriteValue(json, reader.GetValue(i));
            }
        }
    }

    /// <summary>Reads every row of the reader as an array of its values (for rows written later, nested in others).</summary>
    public static async Task<List<object?[]>> ReadAllAsync(NpgsqlDataReader reader)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Writes a row read by <see cref="ReadAllAsync"/> as an object, with the reader's column names.</summary>
    public static void WriteRow(Utf8JsonWriter json, string[] names, object?[] row)
    {
        json.WriteStartObject();
        for (var i = 0; i < names.Length; i++)
        {
            json.WritePropertyName(names[i]);
            WriteValue(json, row[i]);
        }

        json.WriteEndObject();
    }

    public static string[] Names(NpgsqlDataReader reader) => Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();

    public static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int n:
                json.WriteNumberValue(n);
                break;
            case long n:
                json.WriteNumberValue(n);
                break;
            case short n:
                json.WriteNumberValue(n);
                break;
            case decimal n:
                json.WriteNumberValue(n);
                break;
            case double n:
                json.WriteNumberValue(n);
                break;
            case Guid g:
                json.WriteStringValue(g);
                break;
            case DateTime t:
                json.WriteStringValue(t.Kind == DateTimeKind.Utc ? t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                json.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                break;
            case Array array:
                json.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Writes the body that <paramref name="write"/> builds as the response, with its length (as Register answers).</summary>
    public static async Task RespondAsync(HttpContext http, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            write(json);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
