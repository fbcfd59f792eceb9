#!/usr/bin/env bash
# Runs Register on this machine: installs PostgreSQL if missing, builds, starts a project-local PostgreSQL
# cluster, migrates, serves on REGISTER_URL (default http://127.0.0.1:5080) and prints a demo support token. Prometheus
# metrics are on the management address REGISTER_METRICS_URL (default http://127.0.0.1:9464; "none" for none).
# Set ConnectionStrings__Register to use an existing PostgreSQL instead of the project-local cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_prerequisites

dotnet build src/Host/Host.csproj -c Release -nologo -v quiet
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
metrics=${REGISTER_METRICS_URL:-http://127.0.0.1:9464}
if [ "$metrics" = none ]; then metrics=""; fi
exec dotnet src/Host/bin/Release/net10.0/Register.Host.dll serve --demo --urls "${REGISTER_URL:-http://127.0.0.1:5080}" ${metrics:+"--Telemetry:MetricsUrl=$metrics"} "$@"
