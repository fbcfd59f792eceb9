#!/usr/bin/env bash
# Trainee API benchmark: 100,000 trainees (each with a degree and a placement) across 200 training providers, in a
# brand-new project-local database; then GET /trainees at 50 and at 500 a page, GET one trainee, and POST /trainees
# (each request a new trainee, so no 409s), through real HTTP. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

host migrate >/dev/null
port=5198
serve $port --RateLimits:trainees_api:TokenPermitLimit=1000000 --RateLimits:per_ip:AnonymousPermitLimit=1000000

echo "== inserting 100,000 trainees across 200 providers (cycle $cycle), each with a degree and a placement"
start=$(date +%s.%N)
sql -v cycle="$cycle" -f bench/sql/trainees.sql
echo "   inserted in $(seconds "$start") s"

provider=00000000-0000-0000-0000-000000000007
token=$(host create-token --audience trainees_api --organisation-id "$provider" --name "Benchmark SRS" | tail -1)
one=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=1" | sed -E 's/.*"trainee_id":"([^"]+)".*/\1/')
cat >"$work/trainee.json" <<JSON
{"data":{"first_names":"Bench","last_name":"Marker{n}","date_of_birth":"1995-05-05","sex":"10","email":"bench{n}@example.com","nationality":"GB",
"training_route":"12","itt_start_date":"$cycle-09-01","itt_end_date":"$((cycle + 1))-07-31","course_subject_1":"100403","study_mode":"01","itt_aim":"202",
"itt_qualification_aim":"020","course_year":"1","course_age_range":"13918","fund_code":"7","funding_method":"D","hesa_id":"0310261553101",
"degrees_attributes":[{"grade":"02","subject":"100425","institution":"0116","uk_degree":"083","graduation_year":"2012"}],
"placements_attributes":[{"urn":"900020"}]}}
JSON
echo "== the provider has $(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=1" | sed -E 's/.*"total_count":([0-9]+).*/\1/') trainees this cycle"
echo "== trainee API"
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=500" --token "$token" --requests 50 --warmup 5
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees/$one" --token "$token" --requests 200
bench post-latency --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --body "$work/trainee.json" --requests 300
