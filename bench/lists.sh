#!/usr/bin/env bash
# The other lists, Register against the bare baseline (bench/Register.Baseline: the same SQL, one connection, no framework)
# on the same brand-new project-local database, measured interleaved (bench/data.sh's compare: ROUNDS rounds, 3 by
# default, alternating which goes first, SECONDS_EACH seconds a run, 5 by default):
#   the full-size synthetic seed (2,235 providers, 1,806 partnerships; its import timed): GET /api/v1/providers?per_page=200,
#     page 1 (req/s at 8, p99 at 32) and the last page (req/s at 8);
#   100,000 activity items: GET /support/activity page 1 (req/s at 8, p99 at 32) and page 400 (req/s at 8);
#   a lead provider with 50,000 partnerships (100,000 participants): GET /api/v3/partnerships?page[per_page]=3000, page 1
#     and the last page (17), req/s and p99 at 4 connections.
# Prints Register's figure, the baseline's and the ratio for each, and both processes' memory at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh
partnerships=${PARTNERSHIPS:-50000}

host migrate >/dev/null
echo "== the full-size seed import (2,235 providers, 1,806 partnerships), new database"
figure "full seed import (s)" "$(seed_providers)"
register=5196 baseline=5296
serve $register "${unlimited[@]}"
serve_baseline $baseline
tokens providers lead_provider support

echo "== GET /api/v1/providers, 200 a page"
compare "GET providers v1 p1 (200 a page)" rps 8 "/api/v1/providers?per_page=200" "$providers_token"
compare "GET providers v1 p1 (200 a page)" p99 32 "/api/v1/providers?per_page=200" "$providers_token"
compare "GET providers v1 last page (p12)" rps 8 "/api/v1/providers?per_page=200&page=12" "$providers_token"

echo "== 100,000 activity items; GET /support/activity (25 a page)"
seed_activity 100000
compare "GET activity log p1 (100,000 items)" rps 8 "/support/activity" "$support_token"
compare "GET activity log p1 (100,000 items)" p99 32 "/support/activity" "$support_token"
compare "GET activity log p400" rps 8 "/support/activity?page=400" "$support_token"

echo "== a lead provider with $partnerships partnerships; GET /api/v3/partnerships, 3,000 a page"
seed_lead_provider "$partnerships"
last=$(( (partnerships + 2999) / 3000 ))
compare "GET LP partnerships p1 (3,000 a page)" rps,p99 4 "/api/v3/partnerships?page[per_page]=3000" "$lead_provider_token"
compare "GET LP partnerships last page (p$last, 3,000 a page)" rps,p99 4 "/api/v3/partnerships?page[per_page]=3000&page[page]=$last" "$lead_provider_token"

memory "Register memory after the list loads" "$register_pid"
memory "baseline memory after the list loads" "$baseline_pid"
