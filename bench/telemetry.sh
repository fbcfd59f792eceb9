#!/usr/bin/env bash
# The cost of telemetry and API usage recording: two Register processes on one database, one with both on (OpenTelemetry
# traces and metrics, the Prometheus endpoint scraped as Prometheus would, API usage counted) and one with both off
# (Telemetry:Enabled=false, ApiUsage:Enabled=false). 10,000 trainees (ROWS= for another number); then, in rounds that
# alternate on, off, on, off... (so drift — the machine, the database growing — falls on both alike), the throughput of
# GET /trainees (50 a page) and of POST /trainees with CONCURRENCY clients for SECONDS each. Prints requests a second
# for each run, the mean of each side and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh
rows=${ROWS:-10000} rounds=${ROUNDS:-3} seconds=${SECONDS_EACH:-10} concurrency=${CONCURRENCY:-8}

host migrate >/dev/null
limits=(--RateLimits:trainees_api:TokenPermitLimit=100000000 --RateLimits:per_ip:AnonymousPermitLimit=100000000)
on=5201 off=5202 metrics=9465
serve $on "${limits[@]}" --Telemetry:Enabled=true --Telemetry:MetricsUrl=http://127.0.0.1:$metrics --ApiUsage:Enabled=true
serve $off "${limits[@]}" --Telemetry:Enabled=false --ApiUsage:Enabled=false

echo "== inserting $rows trainees across 200 providers (cycle $cycle)"
seed_trainees "$rows"
provider=00000000-0000-0000-0000-000000000007
token=$(host create-token --audience trainees_api --organisation-id "$provider" --name "Benchmark SRS" | tail -1)
trainee_body >"$work/trainee.json"

# Prometheus scrapes the "on" process every 5 seconds (more often than the usual 15 s) while the benchmark runs.
( while curl -fs "http://127.0.0.1:$metrics/metrics" >/dev/null; do sleep 5; done ) &
scraper=$!
trap 'kill $scraper 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

declare -A total=([get_on]=0 [get_off]=0 [post_on]=0 [post_off]=0)
echo "== $rounds rounds of $seconds s each, $concurrency clients; requests a second"
printf '%-6s %-5s %12s %12s\n' round side "GET list" "POST trainee"
for round in $(seq 1 "$rounds"); do
  # Alternate which side goes first, too.
  sides=(on off); (( round % 2 == 0 )) && sides=(off on)
  for side in "${sides[@]}"; do
    port=$([ "$side" = on ] && echo $on || echo $off)
    first=$(( round * 10000000 + ($([ "$side" = on ] && echo 1 || echo 2)) * 1000000 ))
    get=$(bench throughput --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --seconds "$seconds" --concurrency "$concurrency")
    post=$(bench throughput --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --body "$work/trainee.json" --first "$first" \
      --seconds "$seconds" --concurrency "$concurrency")
    printf '%-6s %-5s %12s %12s\n' "$round" "$side" "$get" "$post"
    total[get_$side]=$(echo "${total[get_$side]} + $get" | bc -l)
    total[post_$side]=$(echo "${total[post_$side]} + $post" | bc -l)
  done
done

ratio() { echo "scale=4; $1 / $2" | bc -l; }
echo "== means (requests a second) and on/off ratio (1.00 = no cost; 0.95 = 5% lost)"
printf 'GET list      on %8.1f   off %8.1f   ratio %s\n' "$(echo "${total[get_on]} / $rounds" | bc -l)" "$(echo "${total[get_off]} / $rounds" | bc -l)" "$(ratio "${total[get_on]}" "${total[get_off]}")"
printf 'POST trainee  on %8.1f   off %8.1f   ratio %s\n' "$(echo "${total[post_on]} / $rounds" | bc -l)" "$(echo "${total[post_off]} / $rounds" | bc -l)" "$(ratio "${total[post_on]}" "${total[post_off]}")"
echo "== the 'on' process counted: $(curl -fs "http://127.0.0.1:$metrics/metrics" | grep -E '^register_trainees_created_total' | tr '\n' ' ')"
