#!/usr/bin/env bash
# Trainee API benchmark: 100,000 trainees (each with a degree and a placement) across 200 training providers, in a
# brand-new project-local database; then GET /trainees at 50 and at 500 a page, GET one trainee, and POST /trainees
# (each request a new trainee, so no 409s), through real HTTP. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cycle=$(( $(date -u +%m) >= 8 ? $(date -u +%Y) : $(date -u +%Y) - 1 ))

host migrate >/dev/null
port=5198
serve $port --RateLimits:trainees_api:TokenPermitLimit=1000000 --RateLimits:per_ip:AnonymousPermitLimit=1000000

echo "== inserting 100,000 trainees across 200 providers (cycle $cycle), each with a degree and a placement"
start=$(date +%s.%N)
psql -q -h "$work/pg/run" -U postgres -d register -v cycle="$cycle" <<'SQL'
INSERT INTO trainees.providers (id, code, name, provider_type, ukprn, urn, archived, deleted, as_of, last_event_id)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(p), 12, '0'))::uuid, 'B' || p, 'Benchmark provider ' || p, 'hei', (10000000 + p)::text, NULL,
       false, false, now(), gen_random_uuid()
FROM generate_series(1, 200) AS p;
INSERT INTO trainees.trainees (id, slug, provider_id, state, record_source, hesa_id, first_names, last_name, date_of_birth, email, sex, nationality,
    ethnicity, disabilities, itt_aim, itt_qualification_aim, training_route, course_subject_1, study_mode, course_age_range, course_year, fund_code,
    funding_method, training_initiative, itt_start_date, itt_end_date, trainee_start_date, start_academic_year, submitted_for_trn_at, created_at, updated_at)
SELECT ('10000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, translate(substr(md5(n::text), 1, 24), '0', 'z'),
       ('00000000-0000-0000-0000-' || lpad(to_hex(1 + n % 200), 12, '0'))::uuid, 'submitted_for_trn', 'api', lpad(n::text, 13, '0'),
       'First' || n, 'Last' || n, date '1990-01-01' + (n % 3000), 'trainee' || n || '@example.com', '10', 'GB', '997', '{58}', '202', '020', '12',
       '100403', '01', '13918', 1, '2', '6', 'no_initiative', make_date(:cycle, 9, 1), make_date(:cycle + 1, 7, 31), make_date(:cycle, 9, 1), :cycle,
       now() - n * interval '1 minute', now() - n * interval '1 minute', now() - n * interval '1 minute'
FROM generate_series(1, 100000) AS n;
INSERT INTO trainees.degrees (id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid, grade,
    grade_uuid, graduation_year, created_at, updated_at)
SELECT gen_random_uuid(), translate(substr(md5('d' || n), 1, 24), '0', 'z'), ('10000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, 'uk',
       '100425', '918170f0-5dce-e911-a985-000d3ab79618', '0116', '1071f34a-2887-e711-80d8-005056ac45bb', '083', '1b6a5652-c197-e711-80d8-005056ac45bb',
       '02', 'e2fe18d4-8655-47cf-ab1a-8c3e0b0f078f', 2012, now(), now()
FROM generate_series(1, 100000) AS n;
INSERT INTO trainees.placements (id, slug, trainee_id, urn, name, created_at, updated_at)
SELECT gen_random_uuid(), translate(substr(md5('p' || n), 1, 24), '0', 'z'), ('10000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid,
       '900020', 'Establishment does not have a URN', now(), now()
FROM generate_series(1, 100000) AS n;
ANALYZE;
SQL
echo "   inserted in $(echo "$(date +%s.%N) - $start" | bc) s"

provider=00000000-0000-0000-0000-000000000007
token=$(host create-token --audience trainees_api --organisation-id "$provider" --name "Benchmark SRS" | tail -1)
one=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=1" | sed -E 's/.*"trainee_id":"([^"]+)".*/\1/')
cat >"$work/trainee.json" <<JSON
{"data":{"first_names":"Bench","last_name":"Marker{n}","date_of_birth":"1995-05-05","sex":"10","email":"bench{n}@example.com","nationality":"GB",
"training_route":"12","itt_start_date":"$cycle-09-01","itt_end_date":"$((cycle + 1))-07-31","course_subject_1":"100403","study_mode":"01","itt_aim":"202",
"itt_qualification_aim":"020","course_year":"1","course_age_range":"13918","fund_code":"7","funding_method":"D","hesa_id":"0310261553101",
"degrees_attributes":[{"grade":"02","subject":"100425","institution":"0116","uk_degree":"083","graduation_year":"2012"}],
"placements_attributes":[{"urn":"900020"}]}}
JSON
echo "== the provider has $(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=1" | sed -E 's/.*"total_count":([0-9]+).*/\1/') trainees this cycle"
echo "== trainee API"
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees?per_page=500" --token "$token" --requests 50 --warmup 5
bench latency --url "http://127.0.0.1:$port/api/v2026.1/trainees/$one" --token "$token" --requests 200
bench post-latency --url "http://127.0.0.1:$port/api/v2026.1/trainees" --token "$token" --body "$work/trainee.json" --requests 300
