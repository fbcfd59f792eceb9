#!/usr/bin/env bash
# Providers benchmark: imports a full-size synthetic seed set (2,235 providers, 1,806 partnerships) into a
# brand-new project-local cluster, times the import and the re-import, then measures GET /api/v1/providers
# with per_page=200 (first and last page) through real HTTP. Prints the numbers; changes nothing in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_prerequisites
dotnet build src/Host/Host.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/Register.Bench/Register.Bench.csproj -c Release -nologo -v quiet >/dev/null

work=$(mktemp -d /tmp/register-bench.XXXXXX)
chmod 755 "$work"
host() { dotnet src/Host/bin/Release/net10.0/Register.Host.dll "$@" --Database:EmbeddedDirectory="$work/pg" --Serilog:MinimumLevel:Default=Warning; }
bench() { dotnet bench/Register.Bench/bin/Release/net10.0/Register.Bench.dll "$@"; }

bench generate-seed-data --out "$work/seed" --providers 2235 --partnerships 1806 --seed 42
host migrate >/dev/null
echo "== import (new database)"
host import-seed-data --providers "$work/seed/providers.csv" --partnerships "$work/seed/provider-partnerships.csv" | grep -E "^Imported"
echo "== re-import (nothing changes)"
host import-seed-data --providers "$work/seed/providers.csv" | grep -E "^Imported"
token=$(host create-token --audience providers_api --name "Benchmark" | tail -1)

port=5198
dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --urls "http://127.0.0.1:$port" --Database:EmbeddedDirectory="$work/pg" \
  --Serilog:MinimumLevel:Default=Warning --RateLimits:providers_api:TokenPermitLimit=1000000 >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do kill -0 $pid || { cat "$work/serve.log"; exit 1; }; sleep 0.1; done
echo "== GET /api/v1/providers, 200 a page"
bench latency --url "http://127.0.0.1:$port/api/v1/providers?per_page=200" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v1/providers?per_page=200&page=12" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v0/providers" --token "$token" --requests 50
