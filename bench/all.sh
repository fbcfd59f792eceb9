#!/usr/bin/env bash
# Every figure of the performance issue, Register against the bare baseline (bench/Register.Baseline) where there is one:
# runs bench/trainees.sh, bench/lists.sh, bench/trainee-uploads.sh and bench/cold-start.sh one after the other (each on a
# brand-new project-local database), then prints a summary table of every figure with its ratio. ROUNDS (3) and
# SECONDS_EACH (5) are passed on; about 15 minutes on 2 quiet cores with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
summary=$(mktemp /tmp/register-bench-summary.XXXXXX)
trap 'rm -f "$summary"' EXIT
export BENCH_SUMMARY=$summary
started=$(date +%s)
for script in trainees lists trainee-uploads cold-start; do
  echo "######## bench/$script.sh"
  echo "## $script" >>"$summary"
  bash "bench/$script.sh"
done
echo
echo "######## summary ($(( $(date +%s) - started )) s; ratio = Register / baseline: for req/s higher is better, for ms lower is better)"
cat "$summary"
