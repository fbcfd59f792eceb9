using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Register.Bench;

// Benchmark tools, apart from the tests:
//   generate-seed-data --out DIR [--providers 2235] [--partnerships 1806] [--seed 42]
//   latency --url URL (--token TOKEN | --cookie NAME=VALUE) [--requests 200] [--warmup 20]   (a cookie: a signed-in page)
//   post-latency --url URL --token TOKEN --body FILE [--requests 200] [--warmup 20]   ({n} in the body is the request's number)
//   throughput --url URL --token TOKEN [--body FILE (a POST)] [--seconds 10] [--concurrency 8] [--warmup 2] [--first 0]   (prints requests a second)
var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
int Number(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

switch (args.FirstOrDefault())
{
    case "generate-seed-data":
        var output = options.GetValueOrDefault("--out") ?? "seed-data";
        var counts = SeedDataGenerator.Write(output, Number("--providers", 2235), Number("--partnerships", 1806), Number("--seed", 42));
        Console.WriteLine($"Wrote {counts.Providers} providers and {counts.Partnerships} partnerships to {output}");
        return 0;

    case "latency":
    case "post-latency":
        using (var http = new HttpClient())
        {
            if (options.TryGetValue("--token", out var bearer))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            if (options.TryGetValue("--cookie", out var cookie))
            {
                http.DefaultRequestHeaders.Add("Cookie", cookie);
            }

            var url = options["--url"];
            var template = args[0] == "post-latency" ? File.ReadAllText(options["--body"]) : null;
            var sent = 0;
            Task<HttpResponseMessage> Send() => template is null
                ? http.GetAsync(url)
                : http.PostAsync(url, new StringContent(template.Replace("{n}", (sent++).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

            for (var i = 0; i < Number("--warmup", 20); i++)
            {
                (await Send()).EnsureSuccessStatusCode();
            }

            var timings = new List<double>();
            var bytes = 0L;
            for (var i = 0; i < Number("--requests", 200); i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var response = await Send();
                var body = await response.Content.ReadAsByteArrayAsync();
                stopwatch.Stop();
                response.EnsureSuccessStatusCode();
                bytes = body.Length;
                timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            timings.Sort();
            double Percentile(double p) => timings[(int)Math.Min(timings.Count - 1, Math.Ceiling(p * timings.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(template is null ? "GET" : "POST")} {url}: {timings.Count} requests, {bytes} bytes each; p50 {Percentile(0.5):0.0} ms, p95 {Percentile(0.95):0.0} ms, p99 {Percentile(0.99):0.0} ms, mean {timings.Average():0.0} ms"));
        }

        return 0;

    case "throughput":
        {
            // As many requests as --concurrency clients answered in --seconds (after a --warmup of seconds): requests a second.
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options["--token"]);
            var url = options["--url"];
            var template = options.TryGetValue("--body", out var bodyFile) ? File.ReadAllText(bodyFile) : null;
            var next = (long)Number("--first", 0);
            async Task SendOne()
            {
                var n = Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
                using var response = template is null
                    ? await http.GetAsync(url)
                    : await http.PostAsync(url, new StringContent(template.Replace("{n}", n, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
            }

            async Task<long> RunFor(TimeSpan duration)
            {
                var done = 0L;
                var until = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, Number("--concurrency", 8)).Select(async _ =>
                {
                    while (until.Elapsed < duration)
                    {
                        await SendOne();
                        Interlocked.Increment(ref done);
                    }
                }));
                return done;
            }

            await RunFor(TimeSpan.FromSeconds(Number("--warmup", 2)));
            var seconds = Number("--seconds", 10);
            var measured = Stopwatch.StartNew();
            var count = await RunFor(TimeSpan.FromSeconds(seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count / measured.Elapsed.TotalSeconds:0.0}"));
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: Register.Bench generate-seed-data --out DIR [--providers N] [--partnerships N] [--seed N] | latency --url URL (--token TOKEN | --cookie NAME=VALUE) [--requests N] | post-latency --url URL --token TOKEN --body FILE [--requests N]");
        return 1;
}
