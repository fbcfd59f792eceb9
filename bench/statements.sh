#!/usr/bin/env bash
# The SQL of one request, from PostgreSQL's statement log: for each endpoint the baseline app mirrors (bench/Register.Baseline),
# a small data set, one warm-up request, then log_statement=all and the measured request; prints every statement the
# request ran (with the server process that ran it, so a new process id is another pooled connection) and a count.
# Run it after Register's SQL changes, and copy what it prints into bench/Register.Baseline/Endpoints/*.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh

host migrate >/dev/null
seed_providers 300 200 >/dev/null
port=5195
serve $port "${unlimited[@]}"
seed_trainees 10000
seed_lead_provider 200
seed_activity 1000
tokens
trainee_body >"$work/trainee.json"

log="$work/pg/postgres.log"
sql -c "ALTER SYSTEM SET log_line_prefix = '[%p] '" -c "SELECT pg_reload_conf()" >/dev/null
show() { # show NAME CURL-ARGS...: one request before logging (warm-up), then one logged; prints its statements
  local name=$1; shift
  sed "s/{n}/0$RANDOM/g" "$work/trainee.json" >"$work/post.json"
  curl -fs -o /dev/null "$@"
  sql -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 0.3
  local from=$(wc -l <"$log")
  sed "s/{n}/1$RANDOM/g" "$work/trainee.json" >"$work/post.json"
  curl -fs -o /dev/null "$@"
  sleep 1.5 # the outbox dispatch and the consumers run after the response
  sql -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
  echo "== $name"
  tail -n +"$((from + 1))" "$log" | grep -v -E "ALTER SYSTEM|pg_reload_conf|SIGHUP|parameter \"log_statement\"" \
    | grep -v -E "outbox_messages.*FOR UPDATE SKIP LOCKED.*LIMIT|FROM [a-z_]+\.outbox_messages WHERE dispatched_at IS NULL" || true
  echo "   ($(tail -n +"$((from + 1))" "$log" | grep -c -E "LOG:  (statement|execute)") statements logged, polling loops included, on $(tail -n +"$((from + 1))" "$log" | grep -E "LOG:  (statement|execute)" | sed -E 's/^\[([0-9]+)\].*/\1/' | sort -u | wc -l) server processes)"
}
api="http://127.0.0.1:$port"
show "POST /api/v2026.1/trainees" -X POST -H "Authorization: Bearer $trainee_token" -H "Content-Type: application/json" --data-binary "@$work/post.json" "$api/api/v2026.1/trainees"
show "GET /api/v2026.1/trainees?per_page=20&page=2" -H "Authorization: Bearer $trainee_token" "$api/api/v2026.1/trainees?per_page=20&page=2"
show "GET /api/v1/providers?per_page=200&page=2" -H "Authorization: Bearer $providers_token" "$api/api/v1/providers?per_page=200&page=2"
show "GET /support/activity?page=2" -H "Authorization: Bearer $support_token" "$api/support/activity?page=2"
show "GET /api/v3/partnerships?page[per_page]=100&page[page]=2" -g -H "Authorization: Bearer $lead_provider_token" "$api/api/v3/partnerships?page[per_page]=100&page[page]=2"
