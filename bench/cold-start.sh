#!/usr/bin/env bash
# Measures Register's cold start: from launching the built Host to /health/ready answering healthy.
# Runs it twice on a brand-new project-local cluster (the first includes initdb and every migration; the
# second reuses the cluster) and prints both times. Needs a Release build (scripts/run.sh or dotnet build -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_prerequisites
dotnet build src/Host/Host.csproj -c Release -nologo -v quiet

dir=$(mktemp -d /tmp/register-cold-start.XXXXXX)
chmod 755 "$dir"
port=5199
measure() {
  local start end pid
  start=$(date +%s%N)
  dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --urls "http://127.0.0.1:$port" \
    --Database:EmbeddedDirectory="$dir/pg" --Serilog:MinimumLevel:Default=Warning >"$dir/log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/log"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (end - start) / 1000000 )) ms"
}
echo "cold start, new cluster + all migrations: $(measure)"
echo "start, existing cluster, nothing to migrate: $(measure)"
rm -rf "$dir"
