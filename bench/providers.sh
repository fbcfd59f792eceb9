#!/usr/bin/env bash
# Providers benchmark: imports a full-size synthetic seed set (2,235 providers, 1,806 partnerships) into a
# brand-new project-local cluster, times the import and the re-import, then measures GET /api/v1/providers
# with per_page=200 (first and last page) through real HTTP. Prints the numbers; changes nothing in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench generate-seed-data --out "$work/seed" --providers 2235 --partnerships 1806 --seed 42
host migrate >/dev/null
echo "== import (new database)"
host import-seed-data --providers "$work/seed/providers.csv" --partnerships "$work/seed/provider-partnerships.csv" | grep -E "^Imported"
echo "== re-import (nothing changes)"
host import-seed-data --providers "$work/seed/providers.csv" | grep -E "^Imported"
token=$(host create-token --audience providers_api --name "Benchmark" | tail -1)

port=5198
serve $port --RateLimits:providers_api:TokenPermitLimit=1000000
echo "== GET /api/v1/providers, 200 a page"
bench latency --url "http://127.0.0.1:$port/api/v1/providers?per_page=200" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v1/providers?per_page=200&page=12" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v0/providers" --token "$token" --requests 50
