# Shared by the benchmarks: installs what is missing, builds the Host and the bench tool in Release, and gives
# each run its own project-local cluster in a temporary folder (removed at exit).
source scripts/lib/prerequisites.sh
ensure_prerequisites
dotnet build src/Host/Host.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/Register.Bench/Register.Bench.csproj -c Release -nologo -v quiet >/dev/null

work=$(mktemp -d /tmp/register-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
host() { dotnet src/Host/bin/Release/net10.0/Register.Host.dll "$@" --Database:EmbeddedDirectory="$work/pg" --Serilog:MinimumLevel:Default=Warning; }
bench() { dotnet bench/Register.Bench/bin/Release/net10.0/Register.Bench.dll "$@"; }

# serve PORT [extra host options]: starts Register in the background and waits until it is ready.
serve() {
  local port=$1
  shift
  dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --urls "http://127.0.0.1:$port" --Database:EmbeddedDirectory="$work/pg" \
    --Serilog:MinimumLevel:Default=Warning "$@" >"$work/serve.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do kill -0 $pid || { cat "$work/serve.log"; exit 1; }; sleep 0.1; done
}
