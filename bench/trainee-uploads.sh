#!/usr/bin/env bash
# CSV bulk upload benchmark: a 10,000-row file (ROWS= for another size; the template's 51 columns, each row a valid trainee
# with a degree and a placement) uploaded to a brand-new project-local database, through real HTTP and the real worker;
# against a COPY of the same rows into the same three tables (trainees, degrees, placements, in one transaction, for
# another provider). ROUNDS rounds (3 by default), the side that goes first alternating, each round's rows new names.
# Prints each round's upload (file checks, rows stored), dry run, submit and COPY times, then the medians and the ratios
# COPY / dry run and COPY / submit (1.00 = as fast as COPY; the issue's goal is 0.25).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/data.sh
rows=${ROWS:-10000} rounds=${ROUNDS:-3}

host migrate >/dev/null
port=5199
serve $port "${unlimited[@]}" --Uploads:PollInterval=00:00:00.2
sql -c "INSERT INTO trainees.providers (id, code, name, provider_type, ukprn, archived, deleted, as_of, last_event_id) VALUES
  ('00000000-0000-0000-0000-0000000000b1', 'B01', 'Benchmark University', 'hei', '10000001', false, false, now(), gen_random_uuid()),
  ('00000000-0000-0000-0000-0000000000b2', 'B02', 'Benchmark COPY', 'hei', '10000002', false, false, now(), gen_random_uuid())"
token=$(host create-token --audience trainees_api --organisation-id 00000000-0000-0000-0000-0000000000b1 --name "Benchmark SRS" | tail -1)
api="http://127.0.0.1:$port/api/v2026.1"
header=$(curl -fs -H "Authorization: Bearer $token" "$api/trainee-uploads/template")

wait_for() { # wait_for ID STATUS...: polls the upload until it has one of the statuses; prints it and the seconds it took
  local id=$1; shift
  local start=$(date +%s.%N) status
  while true; do
    status=$(curl -fs -H "Authorization: Bearer $token" "$api/trainee-uploads/$id" | sed -E 's/.*"status":"([a-z_]+)".*/\1/')
    for wanted in "$@"; do [ "$status" = "$wanted" ] && { echo "$status $(seconds "$start")"; return; }; done
    sleep 0.1
  done
}

upload() { # upload ROUND: the CSV through Register; sets upload_s, dry_s, submit_s
  local round=$1 start id status
  {
    printf '%s\n' "$header"
    for ((n = 1; n <= rows; n++)); do
      printf ',,0310261553101,Trainee%d,Bench%dR%d,,1991-02-03,,10,bench%d.%d@example.com,GB,,,,,,,,,,,202,12,020,100403,,,01,%d-09-01,%d-07-31,13918,1,,,,,2,6,,,900020,,,083,,100425,02,2012,0116,,\n' \
        "$n" "$n" "$round" "$round" "$n" "$cycle" "$((cycle + 1))"
    done
  } >"$work/trainees.csv"
  start=$(date +%s.%N)
  id=$(curl -fs -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary "@$work/trainees.csv" "$api/trainee-uploads" | sed -E 's/.*"upload_id":"([^"]+)".*/\1/')
  upload_s=$(seconds "$start")
  read -r status dry_s < <(wait_for "$id" validated failed)
  [ "$status" = validated ] || { echo "dry run: $status" >&2; exit 1; }
  curl -fs -X POST -H "Authorization: Bearer $token" "$api/trainee-uploads/$id/submit" >/dev/null
  read -r status submit_s < <(wait_for "$id" succeeded failed)
  [ "$status" = succeeded ] || { echo "submit: $status" >&2; exit 1; }
}

copy() { # copy ROUND: the same rows (as the upload stores them) by COPY into the three tables, one transaction; sets copy_s
  local round=$1 start
  awk -v rows="$rows" -v r="$round" -v cycle="$cycle" 'BEGIN { OFS = "\t"
    for (n = 1; n <= rows; n++) print sprintf("30000000-0000-%04x-0000-%012x", r, n), sprintf("copy%dr%dz", n, r), "00000000-0000-0000-0000-0000000000b2",
      "submitted_for_trn", "csv", "0310261553101", "Trainee" n, "Bench" n "R" r, "1991-02-03", "bench" r "." n "@example.com", "10", "GB", "997", "202", "020", "12",
      "100403", "01", cycle "-09-01", (cycle + 1) "-07-31", "13918", 1, "2", "6", cycle, "now", "now" }' >"$work/copy-trainees.tsv"
  awk -v rows="$rows" -v r="$round" 'BEGIN { OFS = "\t"
    for (n = 1; n <= rows; n++) print sprintf("31000000-0000-%04x-0000-%012x", r, n), sprintf("dcopy%dr%dz", n, r), sprintf("30000000-0000-%04x-0000-%012x", r, n),
      "uk", "083", "100425", "02", 2012, "0116", "now", "now" }' >"$work/copy-degrees.tsv"
  awk -v rows="$rows" -v r="$round" 'BEGIN { OFS = "\t"
    for (n = 1; n <= rows; n++) print sprintf("32000000-0000-%04x-0000-%012x", r, n), sprintf("pcopy%dr%dz", n, r), sprintf("30000000-0000-%04x-0000-%012x", r, n),
      "900020", "Establishment does not have a URN", "now", "now" }' >"$work/copy-placements.tsv"
  start=$(date +%s.%N)
  sql -v ON_ERROR_STOP=1 <<SQL
BEGIN;
\copy trainees.trainees (id, slug, provider_id, state, record_source, hesa_id, first_names, last_name, date_of_birth, email, sex, nationality, ethnicity, itt_aim, itt_qualification_aim, training_route, course_subject_1, study_mode, itt_start_date, itt_end_date, course_age_range, course_year, fund_code, funding_method, start_academic_year, created_at, updated_at) FROM '$work/copy-trainees.tsv'
\copy trainees.degrees (id, slug, trainee_id, locale_code, uk_degree, subject, grade, graduation_year, institution, created_at, updated_at) FROM '$work/copy-degrees.tsv'
\copy trainees.placements (id, slug, trainee_id, urn, name, created_at, updated_at) FROM '$work/copy-placements.tsv'
COMMIT;
SQL
  copy_s=$(seconds "$start")
}

median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
declare -a uploads=() dries=() submits=() copies=()
echo "== a $rows-row CSV, $rounds rounds (seconds)"
printf '%-6s %10s %10s %10s %10s\n' round upload "dry run" submit COPY
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then upload "$round"; copy "$round"; else copy "$round"; upload "$round"; fi
  uploads+=("$upload_s") dries+=("$dry_s") submits+=("$submit_s") copies+=("$copy_s")
  printf '%-6s %10.2f %10.2f %10.2f %10.2f\n' "$round" "$upload_s" "$dry_s" "$submit_s" "$copy_s"
done
c=$(median "${copies[@]}") d=$(median "${dries[@]}") s=$(median "${submits[@]}")
figure "CSV $rows rows: upload (s, median)" "$(printf '%.2f' "$(median "${uploads[@]}")")"
figure "CSV $rows rows: dry run (s) | COPY (s) | COPY/dry run" "$(printf '%.2f | %.2f | %.2f' "$d" "$c" "$(echo "$c / $d" | bc -l)")"
figure "CSV $rows rows: submit (s) | COPY (s) | COPY/submit" "$(printf '%.2f | %.2f | %.2f' "$s" "$c" "$(echo "$c / $s" | bc -l)")"
echo "   trainees listed: $(curl -fs -H "Authorization: Bearer $token" "$api/trainees?per_page=1" | sed -E 's/.*"total_count":([0-9]+).*/\1/')"
memory "Register memory after the uploads" "$register_pid"
