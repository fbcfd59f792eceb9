#!/usr/bin/env bash
# CSV bulk upload benchmark: a 10,000-row file (the template's 51 columns, each row a valid trainee with a degree and a
# placement) uploaded to a brand-new project-local database; times the upload, the dry run and the submit, through
# real HTTP and the real worker. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rows=${ROWS:-10000}

host migrate >/dev/null
port=5199
serve $port --RateLimits:trainees_api:TokenPermitLimit=1000000 --Uploads:PollInterval=00:00:00.2
sql -c "INSERT INTO trainees.providers (id, code, name, provider_type, ukprn, archived, deleted, as_of, last_event_id)
  VALUES ('00000000-0000-0000-0000-0000000000b1', 'B01', 'Benchmark University', 'hei', '10000001', false, false, now(), gen_random_uuid())"
token=$(host create-token --audience trainees_api --organisation-id 00000000-0000-0000-0000-0000000000b1 --name "Benchmark SRS" | tail -1)
api="http://127.0.0.1:$port/api/v2026.1"

header=$(curl -fs -H "Authorization: Bearer $token" "$api/trainee-uploads/template")
{
  printf '%s\n' "$header"
  for ((n = 1; n <= rows; n++)); do
    printf ',,0310261553101,Trainee%d,Bench%d,,1991-02-03,,10,bench%d@example.com,GB,,,,,,,,,,,202,12,020,100403,,,01,%d-09-01,%d-07-31,13918,1,,,,,2,6,,,900020,,,083,,100425,02,2012,0116,,\n' \
      "$n" "$n" "$n" "$cycle" "$((cycle + 1))"
  done
} >"$work/trainees.csv"
echo "== a $rows-row CSV ($(stat -c %s "$work/trainees.csv") bytes)"

wait_for() { # wait_for ID STATUS...: polls the upload until it has one of the statuses; prints the seconds it took
  local id=$1; shift
  local start=$(date +%s.%N) status
  while true; do
    status=$(curl -fs -H "Authorization: Bearer $token" "$api/trainee-uploads/$id" | sed -E 's/.*"status":"([a-z_]+)".*/\1/')
    for wanted in "$@"; do [ "$status" = "$wanted" ] && { echo "$status $(seconds "$start")"; return; }; done
    sleep 0.1
  done
}

start=$(date +%s.%N)
id=$(curl -fs -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary "@$work/trainees.csv" "$api/trainee-uploads" | sed -E 's/.*"upload_id":"([^"]+)".*/\1/')
echo "   upload (file checks, rows stored): $(seconds "$start") s"
read -r status seconds < <(wait_for "$id" validated failed)
echo "   dry run: $status in $seconds s"
curl -fs -X POST -H "Authorization: Bearer $token" "$api/trainee-uploads/$id/submit" >/dev/null
read -r status seconds < <(wait_for "$id" succeeded failed)
echo "   submit: $status in $seconds s"
echo "   trainees listed: $(curl -fs -H "Authorization: Bearer $token" "$api/trainees?per_page=1" | sed -E 's/.*"total_count":([0-9]+).*/\1/')"
