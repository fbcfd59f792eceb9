#!/usr/bin/env bash
# Lead provider API benchmark: 5,000 schools in partnership with one lead provider (10,000 participants), then
# GET /api/v3/partnerships with 3,000 a page (pages 1 and 2) and GET /api/v3/schools through real HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
lp=00000000-0000-0000-0000-00000000000a
year=$(date -u +%Y)

host migrate >/dev/null
port=5196
serve $port --RateLimits:lead_provider_api:TokenPermitLimit=1000000

echo "== 5,000 schools in partnership, 10,000 participants"
sql -v year="$year" -v lp="$lp" -v n=5000 -f bench/sql/lead-provider.sql
token=$(host create-token --audience lead_provider_api --organisation-id "$lp" --name "Benchmark" | tail -1)
cohort=$((year - 1))
echo "== GET /api/v3 (lead provider API)"
bench latency --url "http://127.0.0.1:$port/api/v3/partnerships?page[per_page]=3000" --token "$token" --requests 30 --warmup 5
bench latency --url "http://127.0.0.1:$port/api/v3/partnerships?page[per_page]=3000&page[page]=2" --token "$token" --requests 30 --warmup 5
bench latency --url "http://127.0.0.1:$port/api/v3/schools?filter[cohort]=$cohort&page[per_page]=100" --token "$token" --requests 50 --warmup 5
