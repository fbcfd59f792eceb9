#!/usr/bin/env bash
# Where a request's CPU goes: Register's Host process against PostgreSQL (every process of the benchmark's cluster), in
# milliseconds of CPU per request, for the trainee POST and the trainee list (10,000 trainees, as bench/trainees.sh).
#   SECONDS_EACH (10): each load's length; CONCURRENCY (8); TRAINEES (10000: 50 a provider; 100000 gives the list a provider of 500).
#   TRACE=1: also a CPU sample trace of the Host during each load (dotnet-trace, installed as a global tool when missing),
#     with its top methods by exclusive and inclusive time printed (dotnet-trace report ... topN). It samples waiting
#     threads too: read it for where the time goes, not as CPU alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh

host migrate >/dev/null
# pg_stat_statements, when the machine's PostgreSQL has it: the statements' own time (total_exec_time) per request. The
# cluster is stopped between Register's commands, so the setting goes in its configuration before serve starts it.
statements=0
if ls /usr/share/postgresql/*/extension/pg_stat_statements.control >/dev/null 2>&1; then
  printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'all'\n" >>"$work/pg/data/postgresql.auto.conf"
  statements=1
fi
register=5198
serve $register "${unlimited[@]}"
tokens trainees
[ "$statements" = 0 ] || sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
trainee_body >"$work/trainee.json"
seed_trainees "${TRAINEES:-10000}"
seconds_each=${SECONDS_EACH:-10} concurrency=${CONCURRENCY:-8}
trace=~/.dotnet/tools/dotnet-trace
if [ "${TRACE:-0}" = 1 ] && [ ! -x "$trace" ]; then dotnet tool install -g dotnet-trace >/dev/null; fi

# ticks PID...: the CPU (user + system) the processes have used, in clock ticks.
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0; done | awk '{ s += $1 } END { print s }'; }
postgres_pids() { local main; main=$(head -1 "$work/pg/data/postmaster.pid"); echo "$main"; pgrep -P "$main" || true; }
hz=$(getconf CLK_TCK)

# measure LABEL PATH TOKEN [load options]
measure() {
  local label=$1 path=$2 token=$3
  shift 3
  bench load --url "http://127.0.0.1:$register$path" --token "$token" --seconds 3 --warmup 1 --concurrency "$concurrency" --first 90000000 "$@" >/dev/null
  local tracer=""
  if [ "${TRACE:-0}" = 1 ]; then
    "$trace" collect -p "$register_pid" --profile dotnet-sampled-thread-time -o "$work/$label.nettrace" --duration "00:00:00:$(printf '%02d' "$seconds_each")" >/dev/null 2>&1 &
    tracer=$!
    sleep 1
  fi
  local pg_before host_before out pg_after host_after
  [ "$statements" = 0 ] || sql -c "SELECT pg_stat_statements_reset()" >/dev/null
  mapfile -t pg < <(postgres_pids)
  host_before=$(ticks "$register_pid") pg_before=$(ticks "${pg[@]}")
  out=$(bench load --url "http://127.0.0.1:$register$path" --token "$token" --seconds "$seconds_each" --warmup 0 --concurrency "$concurrency" --first "$((RANDOM * 10000 + 100000000))" "$@")
  mapfile -t pg < <(postgres_pids)
  host_after=$(ticks "$register_pid") pg_after=$(ticks "${pg[@]}")
  local rps requests
  rps=$(echo "$out" | cut -d' ' -f1)
  requests=$(echo "$rps * $seconds_each" | bc -l)
  printf '%-28s c=%-3s %8s req/s  p99 %6s ms   CPU a request: Host %5.2f ms, PostgreSQL %5.2f ms (failed %s)\n' "$label" "$concurrency" "$rps" \
    "$(echo "$out" | cut -d' ' -f3)" "$(echo "($host_after - $host_before) * 1000 / $hz / $requests" | bc -l)" \
    "$(echo "($pg_after - $pg_before) * 1000 / $hz / $requests" | bc -l)" "$(echo "$out" | cut -d' ' -f5)"
  if [ "$statements" = 1 ]; then
    echo "   statements by time (pg_stat_statements; ms a request, calls a request, the statement's start):"
    sql -F ' | ' -c "SELECT to_char(total_exec_time / $requests, 'FM990.000'), to_char(calls / $requests, 'FM990.00'), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'register') ORDER BY total_exec_time DESC LIMIT ${TOP:-25}" | sed 's/^/   /'
  fi
  if [ -n "$tracer" ]; then
    wait "$tracer" || true
    "$trace" report "$work/$label.nettrace" topN -n 25 2>/dev/null | sed 's/^/   /' || true
    "$trace" report "$work/$label.nettrace" topN -n 40 --inclusive 2>/dev/null | sed 's/^/   /' || true
  fi
}

measure post /api/v2026.1/trainees "$post_token" --body "$work/trainee.json"
measure list "/api/v2026.1/trainees?per_page=100" "$trainee_token"
