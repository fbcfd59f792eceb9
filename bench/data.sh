# Shared by the benchmarks that compare Register with the bare baseline (bench/Register.Baseline): the data sets, the
# tokens, and starting the baseline. Source it after bench/lib.sh.

# No rate limit gets in the way of a benchmark.
unlimited=(--RateLimits:trainees_api:TokenPermitLimit=100000000 --RateLimits:providers_api:TokenPermitLimit=100000000
  --RateLimits:lead_provider_api:TokenPermitLimit=100000000 --RateLimits:support:TokenPermitLimit=100000000
  --RateLimits:per_ip:AnonymousPermitLimit=100000000)
lead_provider=00000000-0000-0000-0000-00000000000a
small_provider=00000000-0000-0000-0000-000000000007 # 1 in 200 of the trainees of bench/sql/trainees.sql
big_provider=00000000-0000-0000-0000-000000000008   # grown by seed_big_provider
year=$(date -u +%Y)

# seed_trainees N: N trainees (each with a degree and a placement) across 200 training providers (N / 200 each).
seed_trainees() {
  sed "s/generate_series(1, 100000)/generate_series(1, $1)/" bench/sql/trainees.sql | sql -v cycle="$cycle"
}

# seed_more_trainees FROM TO: trainees FROM to TO (numbered as seed_trainees numbers them) across the same 200 providers.
seed_more_trainees() {
  sed -e '/^INSERT INTO trainees.providers/,/^FROM generate_series(1, 200) AS p;/d' -e "s/generate_series(1, 100000)/generate_series($1, $2)/" \
    bench/sql/trainees.sql | sql -v cycle="$cycle"
}

# seed_big_provider N: N more trainees for one provider ($big_provider), as a provider grown over the years.
seed_big_provider() {
  sql -v cycle="$cycle" -v n="$1" -v provider="$big_provider" -f bench/sql/big-provider.sql
}

# seed_lead_provider N: N schools in partnership with one lead provider ($lead_provider) for last year's cohort, two
# participants each.
seed_lead_provider() {
  sql -v year="$year" -v lp="$lead_provider" -v n="$1" -f bench/sql/lead-provider.sql
}

# seed_activity N: N activity items over the last N * 5 minutes, across 2,000 providers.
seed_activity() {
  sql -v n="$1" -f bench/sql/activity.sql
}

# seed_providers [PROVIDERS PARTNERSHIPS]: the synthetic seed set (full size by default: 2,235 providers, 1,806
# partnerships) imported by Register's import-seed-data, before anything else is in the database; prints the seconds.
seed_providers() {
  bench generate-seed-data --out "$work/seed" --providers "${1:-2235}" --partnerships "${2:-1806}" --seed 42 >/dev/null
  local start=$(date +%s.%N)
  # Its exit code is not 0 when some rows failed (a small set names training partners it does not hold): fine here.
  host import-seed-data --providers "$work/seed/providers.csv" --partnerships "$work/seed/provider-partnerships.csv" >"$work/import.log" 2>&1 || true
  grep -q "^Imported .* provider rows" "$work/import.log" || { cat "$work/import.log" >&2; return 1; }
  printf '%.2f\n' "$(seconds "$start")"
}

post_provider=00000000-0000-0000-0000-000000000009  # the POSTs' trainees go to another provider than the lists'

# tokens [trainees] [providers] [lead_provider] [support]: a token for each API named (all four by default) in
# $trainee_token (the provider of 1 in 200 trainees), $big_token and $post_token, $providers_token, $lead_provider_token
# and $support_token.
tokens() {
  local apis=${*:-trainees providers lead_provider support}
  if [[ $apis == *trainees* ]]; then
    trainee_token=$(host create-token --audience trainees_api --organisation-id "$small_provider" --name "Benchmark SRS" | tail -1)
    big_token=$(host create-token --audience trainees_api --organisation-id "$big_provider" --name "Benchmark SRS (big)" | tail -1)
    post_token=$(host create-token --audience trainees_api --organisation-id "$post_provider" --name "Benchmark SRS (POST)" | tail -1)
  fi
  if [[ $apis == *providers* ]]; then providers_token=$(host create-token --audience providers_api --name "Benchmark" | tail -1); fi
  if [[ $apis == *lead_provider* ]]; then
    lead_provider_token=$(host create-token --audience lead_provider_api --organisation-id "$lead_provider" --name "Benchmark LP" | tail -1)
  fi
  if [[ $apis == *support* ]]; then support_token=$(host create-support-token --name "Benchmark support" | tail -1); fi
}

# memory LABEL PID: the process's resident memory now and at its highest (VmRSS and VmHWM of /proc/PID/status), as a figure.
memory() {
  figure "$1" "$(awk '/^VmRSS|^VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$2/status")"
}

# trainee_body: a POST /trainees body; {n} is the request's number (a new trainee each time, so no 409s).
trainee_body() {
  cat <<JSON
{"data":{"first_names":"Bench","last_name":"Marker{n}","date_of_birth":"1995-05-05","sex":"10","email":"bench{n}@example.com","nationality":"GB",
"training_route":"12","itt_start_date":"$cycle-09-01","itt_end_date":"$((cycle + 1))-07-31","course_subject_1":"100403","study_mode":"01","itt_aim":"202",
"itt_qualification_aim":"020","course_year":"1","course_age_range":"13918","fund_code":"7","funding_method":"D","hesa_id":"0310261553101",
"degrees_attributes":[{"grade":"02","subject":"100425","institution":"0116","uk_degree":"083","graduation_year":"2012"}],
"placements_attributes":[{"urn":"900020"}]}}
JSON
}

# serve_baseline PORT: starts the bare baseline app on the benchmark's cluster and waits until it answers.
serve_baseline() {
  local port=$1 log="$work/baseline-$1.log"
  dotnet bench/Register.Baseline/bin/Release/net10.0/Register.Baseline.dll --urls "http://127.0.0.1:$port" \
    --ConnectionString "Host=$work/pg/run;Port=5432;Username=postgres;Database=register" --TokenKeyFile "$work/pg/token-hash.key" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  baseline_pid=$pid
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
  until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do kill -0 "$pid" || { cat "$log"; exit 1; }; sleep 0.05; done
}

# compare LABEL FIGURES CONCURRENCY PATH TOKEN [more bench load options]: Register (on port $register) and the baseline (on
# port $baseline) measured interleaved: ROUNDS rounds (3 by default), the side that goes first alternating, each a run of
# SECONDS_EACH seconds (5) after a second of warm-up, with CONCURRENCY clients. FIGURES: rps (requests a second), p50 or
# p99 (ms), or several from the same runs (rps,p99). Prints each round's figures, then for each figure the medians and the
# ratio Register / baseline (rps: 1.00 = as fast as the baseline, higher is better; p50/p99: lower is better), and the
# body sizes; appends the lines to $BENCH_SUMMARY when set (bench/all.sh prints them all at the end).
run_number=0
compare() {
  local label=$1 figures=$2 concurrency=$3 path=$4 token=$5
  shift 5
  local rounds=${ROUNDS:-3} round side out reg_bytes=0 base_bytes=0
  local -a reg=() base=()
  for round in $(seq 1 "$rounds"); do
    local sides=(register baseline)
    (( round % 2 == 0 )) && sides=(baseline register)
    for side in "${sides[@]}"; do
      run_number=$((run_number + 1))
      out=$(bench load --url "http://127.0.0.1:$([ "$side" = register ] && echo "$register" || echo "$baseline")$path" --token "$token" \
        --seconds "${SECONDS_EACH:-5}" --warmup 1 --concurrency "$concurrency" --first "$((run_number * 10000000))" "$@")
      if [ "$side" = register ]; then reg+=("$out"); reg_bytes=$(echo "$out" | cut -d' ' -f4); else base+=("$out"); base_bytes=$(echo "$out" | cut -d' ' -f4); fi
    done
  done
  echo "   $label, c=$concurrency: rounds (req/s p50 p99 bytes failed): register $(printf '[%s] ' "${reg[@]}")| baseline $(printf '[%s] ' "${base[@]}")"
  local figure field r b ratio unit line failed
  failed="$(printf '%s\n' "${reg[@]}" | awk '{ s += $5 } END { print s }')/$(printf '%s\n' "${base[@]}" | awk '{ s += $5 } END { print s }')"
  for figure in ${figures//,/ }; do
    case $figure in rps) field=1 unit="req/s" ;; p50) field=2 unit="ms p50" ;; p99) field=3 unit="ms p99" ;; esac
    r=$(printf '%s\n' "${reg[@]}" | cut -d' ' -f$field | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
    b=$(printf '%s\n' "${base[@]}" | cut -d' ' -f$field | sort -g | sed -n "$(( (rounds + 1) / 2 ))p")
    ratio=$(echo "scale=2; $r / $b" | bc -l 2>/dev/null || echo "?")
    line=$(printf '%-52s %-6s c=%-3s register %8s  baseline %8s  ratio %5s' "$label" "$unit" "$concurrency" "$r" "$b" "$ratio")
    [ "$failed" = 0/0 ] || line="$line  (failed $failed)"
    echo "$line"
    if [ -n "${BENCH_SUMMARY:-}" ]; then echo "$line" >>"$BENCH_SUMMARY"; fi
  done
  echo "   bodies: register $reg_bytes bytes, baseline $base_bytes bytes; failed requests (register/baseline): $failed"
}

# figure LABEL VALUE: a figure with no baseline (a time, a size), printed and appended to $BENCH_SUMMARY when set.
figure() {
  local line
  line=$(printf '%-58s %s' "$1" "$2")
  echo "$line"
  if [ -n "${BENCH_SUMMARY:-}" ]; then echo "$line" >>"$BENCH_SUMMARY"; fi
}
