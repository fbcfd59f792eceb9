using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Register.Host.Tests.Lifecycle;

/// <summary>One request a target: which API, the path, and the token to send (null for none).</summary>
internal sealed record Target(string Api, string Path, string? Token);

/// <summary>
/// What one request came to: <paramref name="Status"/> and the whole body when an answer arrived; otherwise
/// <paramref name="Failure"/>, and whether the failure came after the answer had started (<paramref name="CutMidAnswer"/>).
/// </summary>
internal sealed record Outcome(TimeSpan SentAt, TimeSpan At, string Api, int? Status, string? RetryAfter, string Body, string? Failure, bool CutMidAnswer);

/// <summary>A few clients calling the targets in turn, each waiting for its answer before the next request: light, steady load.</summary>
internal sealed class Load
{
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly List<Task> _clients = [];
    private volatile bool _stopping;

    private Load(Stopwatch clock) => Clock = clock;

    public Stopwatch Clock { get; }

    public IReadOnlyList<Outcome> Outcomes => [.. _outcomes.OrderBy(o => o.At)];

    public static Load Start(Uri baseAddress, IReadOnlyList<Target> targets, int clients, TimeSpan pause)
    {
        var load = new Load(Stopwatch.StartNew());
        for (var i = 0; i < clients; i++)
        {
            var offset = i;
            load._clients.Add(Task.Run(() => load.RunClientAsync(baseAddress, targets, offset, pause)));
        }

        return load;
    }

    /// <summary>Lets each client finish the request it has in hand, then stops.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_clients);
    }

    private async Task RunClientAsync(Uri baseAddress, IReadOnlyList<Target> targets, int offset, TimeSpan pause)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
        for (var i = offset; !_stopping; i++)
        {
            var target = targets[i % targets.Count];
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Path);
            if (target.Token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
            }

            var sentAt = Clock.Elapsed;
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _outcomes.Enqueue(new Outcome(sentAt, Clock.Elapsed, target.Api, null, null, "", ex.GetBaseException().Message, CutMidAnswer: false));
                await Task.Delay(pause);
                continue;
            }

            using (response)
            {
                try
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.Content.Headers.ContentLength is { } length && length != System.Text.Encoding.UTF8.GetByteCount(body))
                    {
                        throw new HttpRequestException($"body of {System.Text.Encoding.UTF8.GetByteCount(body)} bytes, Content-Length {length}");
                    }

                    _outcomes.Enqueue(new Outcome(sentAt, Clock.Elapsed, target.Api, (int)response.StatusCode,
                        response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), body, null, CutMidAnswer: false));
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    _outcomes.Enqueue(new Outcome(sentAt, Clock.Elapsed, target.Api, (int)response.StatusCode, null, "", ex.GetBaseException().Message, CutMidAnswer: true));
                }
            }

            await Task.Delay(pause);
        }
    }
}
