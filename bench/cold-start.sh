#!/usr/bin/env bash
# Register's start: from launching the built Host to /health/ready answering healthy.
#   once on a brand-new project-local cluster (initdb, every migration), once on that cluster stopped (nothing to migrate);
#   then ROUNDS rounds (3 by default) on the cluster running (held by another Register process), interleaved with the
#   bare baseline app's start to ready (bench/Register.Baseline: its /ready runs SELECT 1 on the same database).
# Prints each time, the medians and the ratio Register / baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh
rounds=${ROUNDS:-3}

port=5194
measure() { # measure register|baseline: launches it, prints the milliseconds to ready, stops it
  local start end pid url
  start=$(date +%s%N)
  if [ "$1" = register ]; then
    dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --urls "http://127.0.0.1:$port" \
      --Database:EmbeddedDirectory="$work/pg" --Serilog:MinimumLevel:Default=Warning >"$work/start.log" 2>&1 &
    url="http://127.0.0.1:$port/health/ready"
  else
    dotnet bench/Register.Baseline/bin/Release/net10.0/Register.Baseline.dll --urls "http://127.0.0.1:$port" \
      --ConnectionString "Host=$work/pg/run;Port=5432;Username=postgres;Database=register" --TokenKeyFile "$work/pg/token-hash.key" >"$work/start.log" 2>&1 &
    url="http://127.0.0.1:$port/ready"
  fi
  pid=$!
  until curl -fs "$url" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/start.log"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (end - start) / 1000000 ))"
}

figure "Register start to ready, new cluster + all migrations (ms)" "$(measure register)"
figure "Register start to ready, existing cluster stopped (ms)" "$(measure register)"
serve 5193 # holds the cluster running
declare -a reg=() base=()
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then reg+=("$(measure register)"); base+=("$(measure baseline)"); else base+=("$(measure baseline)"); reg+=("$(measure register)"); fi
done
echo "   rounds (ms): register ${reg[*]} | baseline ${base[*]}"
r=$(printf '%s\n' "${reg[@]}" | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
b=$(printf '%s\n' "${base[@]}" | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
figure "start to ready, cluster running (ms): register | baseline | ratio" "$r | $b | $(echo "scale=2; $r / $b" | bc -l)"
