#!/usr/bin/env bash
# Activity log benchmark: 100,000 items in a brand-new project-local database, then the global timeline's
# page 1 and page 400 (and a deep page by cursor) through real HTTP. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

host migrate >/dev/null
token=$(host create-support-token --name "Benchmark" | tail -1)
port=5197
serve $port --RateLimits:support:TokenPermitLimit=1000000

echo "== inserting 100,000 activity items over a year, across 2,000 providers"
sql -v n=100000 -f bench/sql/activity.sql
cursor=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/support/activity?page=399" | sed -E 's/.*"next_cursor":"([^"]+)".*/\1/')
echo "== GET /support/activity"
bench latency --url "http://127.0.0.1:$port/support/activity" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/activity?page=400" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/activity?cursor=$cursor" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/providers/00000000-0000-0000-0000-000000000007/activity" --token "$token" --requests 200
