#!/usr/bin/env bash
# Runs every test: installs PostgreSQL if missing, checks the formatting, builds, and runs the suites (each test assembly starts its
# own throw-away PostgreSQL cluster). In CI a missing snapshot fails instead of being written.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
ensure_prerequisites chromium

if [ "${CI:-}" = "true" ]; then export SNAPSHOOTER_STRICT_MODE=on; fi

# The house style keeps itself (.editorconfig): layout here, the code-style rules in the build (warnings are errors).
dotnet format whitespace --folder --verify-no-changes -v q || { echo "Formatting differs from .editorconfig: run 'dotnet format whitespace --folder'." >&2; exit 1; }
dotnet build Register.sln -c Release -nologo -v quiet
log=$(mktemp)
status=0
dotnet test Register.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
if [ "$passed" -eq 0 ]; then echo "No test ran." >&2; exit 1; fi
exit "$status"
