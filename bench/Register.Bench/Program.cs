using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Register.Bench;

// Benchmark tools, apart from the tests:
//   generate-seed-data --out DIR [--providers 2235] [--partnerships 1806] [--seed 42]
//   latency --url URL (--token TOKEN | --cookie NAME=VALUE) [--requests 200] [--warmup 20]   (a cookie: a signed-in page)
//   post-latency --url URL --token TOKEN --body FILE [--requests 200] [--warmup 20]   ({n} in the body is the request's number)
//   throughput --url URL --token TOKEN [--body FILE (a POST)] [--seconds 10] [--concurrency 8] [--warmup 2] [--first 0]   (prints requests a second)
//   load (the options of throughput, and [--timeout 100] seconds)   (prints one line: requests a second, p50 ms, p99 ms,
//        bytes of the last body, failed requests; a failed request, an error status or a timeout, is counted, not measured)
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
    case "load":
        {
            // As many requests as --concurrency clients answered in --seconds (after a --warmup of seconds): requests a second;
            // load adds the 50th and 99th percentiles of the measured requests' times (sent to the body's last byte).
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Number("--timeout", 100)) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options["--token"]);
            var url = options["--url"];
            var template = options.TryGetValue("--body", out var bodyFile) ? File.ReadAllText(bodyFile) : null;
            var next = (long)Number("--first", 0);
            var lastBytes = 0;
            var errors = 0;
            async Task<bool> SendOne()
            {
                var n = Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
                try
                {
                    using var response = template is null
                        ? await http.GetAsync(url)
                        : await http.PostAsync(url, new StringContent(template.Replace("{n}", n, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (args[0] == "throughput" || response.IsSuccessStatusCode)
                    {
                        response.EnsureSuccessStatusCode();
                        lastBytes = body.Length;
                        return true;
                    }

                    // load: a failed request (an error status, a timeout) is counted, not measured; the first few are shown.
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
                    }

                    return false;
                }
                catch (Exception ex) when (args[0] == "load" && ex is HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"{url}: {ex.GetType().Name} {ex.Message}");
                    }

                    return false;
                }
            }

            async Task<List<double>> RunFor(TimeSpan duration)
            {
                var timings = new List<double>();
                var until = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, Number("--concurrency", 8)).Select(async _ =>
                {
                    while (until.Elapsed < duration)
                    {
                        var started = Stopwatch.GetTimestamp();
                        if (!await SendOne())
                        {
                            continue;
                        }

                        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        lock (timings)
                        {
                            timings.Add(elapsed);
                        }
                    }
                }));
                return timings;
            }

            await RunFor(TimeSpan.FromSeconds(Number("--warmup", 2)));
            errors = 0;
            var seconds = Number("--seconds", 10);
            var measured = Stopwatch.StartNew();
            var times = await RunFor(TimeSpan.FromSeconds(seconds));
            var perSecond = times.Count / measured.Elapsed.TotalSeconds;
            times.Sort();
            double At(double p) => times.Count == 0 ? double.NaN : times[(int)Math.Min(times.Count - 1, Math.Ceiling(p * times.Count) - 1)];
            Console.WriteLine(args[0] == "throughput"
                ? string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0}")
                : string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0} {At(0.5):0.0} {At(0.99):0.0} {lastBytes} {errors}"));
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: Register.Bench generate-seed-data --out DIR [--providers N] [--partnerships N] [--seed N] | latency --url URL (--token TOKEN | --cookie NAME=VALUE) [--requests N] | post-latency --url URL --token TOKEN --body FILE [--requests N] | throughput|load --url URL --token TOKEN [--body FILE] [--seconds N] [--concurrency N] [--warmup N] [--first N] [--timeout N]");
        return 1;
}
