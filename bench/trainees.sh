#!/usr/bin/env bash
# Trainee API benchmark, Register against the bare baseline (bench/Register.Baseline: the same SQL, one connection, no
# framework) on the same brand-new project-local database, measured interleaved (bench/data.sh's compare: ROUNDS rounds,
# 3 by default, alternating which goes first, SECONDS_EACH seconds a run, 5 by default):
#   10,000 trainees across 200 providers (each with a degree and a placement): GET /trainees?per_page=100 for a provider of
#     50, req/s at 8 connections; POST /trainees (a new trainee each, to another provider) req/s at 8 and p99 at 32.
#   100,000 trainees: the list for a provider of 500, page 1 (req/s at 8, p99 at 32) and its last page (req/s at 8).
#   one provider grown by 250,000 trainees: its page 1 and last page (req/s at 8).
# Prints Register's figure, the baseline's and the ratio for each, and both processes' memory at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh
big=${BIG:-250000}

host migrate >/dev/null
register=5198 baseline=5298
serve $register "${unlimited[@]}"
serve_baseline $baseline
tokens trainees
trainee_body >"$work/trainee.json"
list="/api/v2026.1/trainees?per_page=100"

echo "== 10,000 trainees across 200 providers (cycle $cycle), each with a degree and a placement"
seed_trainees 10000
compare "GET trainees p1 (10,000; provider of 50)" rps 8 "$list" "$trainee_token"
compare "POST trainee" rps 8 /api/v2026.1/trainees "$post_token" --body "$work/trainee.json"
compare "POST trainee" p99 32 /api/v2026.1/trainees "$post_token" --body "$work/trainee.json"

echo "== 100,000 trainees (500 a provider)"
seed_more_trainees 10001 100000
compare "GET trainees p1 (100,000; provider of 500)" rps 8 "$list" "$trainee_token"
compare "GET trainees p1 (100,000; provider of 500)" p99 32 "$list" "$trainee_token"
compare "GET trainees last page (p5; provider of 500)" rps 8 "$list&page=5" "$trainee_token"

echo "== one provider grown by $big trainees"
start=$(date +%s.%N)
seed_big_provider "$big"
printf '   inserted in %.1f s\n' "$(seconds "$start")"
last=$(( (big + 500 + 99) / 100 ))
compare "GET trainees p1 (provider of $((big + 500)))" rps 8 "$list" "$big_token"
compare "GET trainees last page (p$last; provider of $((big + 500)))" rps 8 "$list&page=$last" "$big_token"

memory "Register memory after the trainee loads" "$register_pid"
memory "baseline memory after the trainee loads" "$baseline_pid"
