#!/usr/bin/env bash
# Web pages benchmark: the full-size synthetic seed (2,235 providers, 1,806 partnerships) and 100,000 activity items in a
# brand-new project-local database, then the support pages a person uses most, fetched signed in over real HTTP: the
# providers list (first page, a deep page, a search, filters), a provider's page and its partnerships tab, and the
# activity log (global first and deep page, a provider's). Prints p50/p95/p99 per page; changes nothing in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench generate-seed-data --out "$work/seed" --providers 2235 --partnerships 1806 --seed 42
host migrate >/dev/null
# The synthetic partnerships name a few codes the providers file lacks: those rows fail (exit code 2), as they would in production.
(host import-seed-data --providers "$work/seed/providers.csv" --partnerships "$work/seed/provider-partnerships.csv" || true) | grep -E "^Imported"
link=$(host create-user --email bench.support@education.gov.uk --first-name Bench --last-name Support --system-admin --base-url http://127.0.0.1:5199 | tail -1)

port=5199
serve $port --RateLimits:per_ip:AnonymousPermitLimit=1000000

echo "== adding 100,000 activity items over a year, across the providers"
sql <<'SQL'
INSERT INTO activity_log.activity_items (event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids)
SELECT gen_random_uuid(), now() - (n * interval '5 minutes'),
       (ARRAY['provider','accreditation','address','contact','partnership'])[1 + n % 5], gen_random_uuid(),
       (ARRAY['created','updated','deleted'])[1 + n % 3], 'user', gen_random_uuid(), 'Benchmark person',
       '[{"field":"operating_name","old_value":"Old name","new_value":"New name"},{"field":"ukprn","old_value":null,"new_value":"10012345"}]',
       ARRAY[p.id]
FROM generate_series(1, 100000) AS n
JOIN LATERAL (SELECT id FROM activity_log.provider_names ORDER BY id OFFSET (n % 2000) LIMIT 1) p ON true;
ANALYZE activity_log.activity_items;
SQL
# Sign in as a person does: the one-time link, a password, the session cookie.
jar="$work/cookies"
page=$(curl -fs -c "$jar" -b "$jar" "$link")
token=$(echo "$page" | grep -o 'name="authenticity_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "authenticity_token=$token" --data-urlencode "password=benchmark passphrase" \
  --data-urlencode "password_confirmation=benchmark passphrase" "$link"
cookie="register_session=$(awk '$6 == "register_session" { print $7 }' "$jar")"

provider=$(sql -c "SELECT accredited_provider_id FROM partnerships.provider_partnerships GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
base="http://127.0.0.1:$port"
echo "== pages (signed in as a support user; a provider with the most partnerships: $provider)"
for path in "/providers" "/providers?page=150" "/providers?keywords=academy" "/providers?provider_type=scitt_or_school&accreditation_status=accredited&academic_year=$cycle" \
            "/providers/$provider" "/providers/$provider/partnerships" "/activity" "/activity?page=400" "/providers/$provider/activity"; do
  bench latency --url "$base$path" --cookie "$cookie" --requests 300 --warmup 30
done
