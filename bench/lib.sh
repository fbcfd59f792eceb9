# Shared by the benchmarks: installs what is missing, builds the Host, the bench tool and the bare baseline app in Release, and gives
# each run its own project-local cluster in a temporary folder (removed at exit).
source scripts/lib/prerequisites.sh
ensure_prerequisites
# BUILD_HOST=0: use the Host's Release build as it is (when only bench/ changed since it was built).
[ "${BUILD_HOST:-1}" = 0 ] || dotnet build src/Host/Host.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/Register.Bench/Register.Bench.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/Register.Baseline/Register.Baseline.csproj -c Release -nologo -v quiet >/dev/null

work=$(mktemp -d /tmp/register-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
host() { dotnet src/Host/bin/Release/net10.0/Register.Host.dll "$@" --Database:EmbeddedDirectory="$work/pg" --Serilog:MinimumLevel:Default=Warning; }
bench() { dotnet bench/Register.Bench/bin/Release/net10.0/Register.Bench.dll "$@"; }

# The academic cycle of today (1 August to 31 July), as the API names it: 2026 is "2026 to 2027".
cycle=$(( 10#$(date -u +%m) >= 8 ? $(date -u +%Y) : $(date -u +%Y) - 1 ))
# seconds START: the seconds since START (a `date +%s.%N`).
seconds() { echo "$(date +%s.%N) - $1" | bc; }
# sql [psql options]: psql on the benchmark's database, unaligned and quiet (SQL_CLUSTER=folder for another cluster).
sql() { psql -qtA -h "${SQL_CLUSTER:-$work/pg}/run" -U postgres -d register "$@"; }

# serve PORT [extra host options]: starts Register in the background on the benchmark's cluster (SERVE_CLUSTER=folder
# for another) and waits until it is ready; every server started is stopped at exit.
pids=()
serve() {
  local port=$1 log="$work/serve-$1.log"
  shift
  dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --urls "http://127.0.0.1:$port" --Database:EmbeddedDirectory="${SERVE_CLUSTER:-$work/pg}" \
    --Serilog:MinimumLevel:Default=Warning "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  register_pid=$pid
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do kill -0 "$pid" || { cat "$log"; exit 1; }; sleep 0.1; done
}
