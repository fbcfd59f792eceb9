using Npgsql;
using Register.Baseline;
using Register.Baseline.Endpoints;

// The bare baseline of the benchmarks (bench/*.sh, docs/architecture.md "Benchmarks"): Kestrel, Npgsql and Utf8JsonWriter,
// no Mediator, no Dapper, no Register framework layers (no logging, telemetry, rate limits, problem details, middleware).
// Each endpoint runs the same SQL as Register runs for that request (bench/statements.sh prints Register's), on ONE
// pooled connection, and writes a JSON body of the same shape, column by column. Its SQL lives in one file per endpoint
// under Endpoints/, to be edited when Register's changes. What Register keeps in memory (the token's client for 10 s, a long
// list's total and page starts for 30 s) it keeps too (Tokens.cs, Lists.cs), so a warm request runs the same statements.
//   dotnet Register.Baseline.dll --urls http://127.0.0.1:PORT --ConnectionString "Host=...;Username=...;Database=register"
//     --TokenKeyFile CLUSTER/token-hash.key   (the key Register hashes API tokens with; Tokens:HashKey's value, base64, also works as --TokenKey)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning); // its errors only
var connectionString = new NpgsqlConnectionStringBuilder(builder.Configuration["ConnectionString"]
    ?? throw new InvalidOperationException("--ConnectionString is required"))
{
    // Bare: a connection back in the pool keeps its session (no DISCARD ALL before its next use), as a hand-written app would.
    NoResetOnClose = true,
    // At most 40 connections (the benchmarks' 32 clients and some): Register's pool and this one share the cluster's 100.
    MaxPoolSize = 40,
    // Statements prepared on their second use, as Register's are (Database:MaxAutoPrepare, ADR 31): the ratios then
    // measure Register's layers, not whether the SQL is parsed again.
    MaxAutoPrepare = 100,
    AutoPrepareMinUsages = 2,
}.ConnectionString;
var configuredKey = builder.Configuration["TokenKey"];
var keyFile = builder.Configuration["TokenKeyFile"];
if (configuredKey is null && keyFile is null)
{
    throw new InvalidOperationException("--TokenKeyFile or --TokenKey is required");
}

await using var db = NpgsqlDataSource.Create(connectionString);
// Read at the first request: Register writes the key file when it first hashes a token, maybe after this app starts.
var tokens = new Tokens(new Lazy<byte[]>(() => Convert.FromBase64String(configuredKey ?? File.ReadAllText(keyFile!).Trim())));
var lists = new Lists(); // what Register keeps of long lists (Lists.cs)

var app = builder.Build();
// Ready: the database answers (as Register's /health/ready).
app.MapGet("/ready", async () =>
{
    await using var command = db.CreateCommand("SELECT 1");
    await command.ExecuteScalarAsync();
    return "ready";
});
app.MapPost("/api/{version}/trainees", http => CreateTrainee.HandleAsync(http, db, tokens));
app.MapGet("/api/{version}/trainees", http => TraineeList.HandleAsync(http, db, tokens, lists));
app.MapGet("/api/v1/providers", http => ProvidersV1List.HandleAsync(http, db, tokens, lists));
app.MapGet("/support/activity", http => ActivityLogPage.HandleAsync(http, db, tokens, lists));
app.MapGet("/api/v3/partnerships", http => LeadProviderPartnerships.HandleAsync(http, db, tokens, lists));
await app.RunAsync();
