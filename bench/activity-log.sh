#!/usr/bin/env bash
# Activity log benchmark: 100,000 items in a brand-new project-local database, then the global timeline's
# page 1 and page 400 (and a deep page by cursor) through real HTTP. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

host migrate >/dev/null
token=$(host create-support-token --name "Benchmark" | tail -1)
port=5197
serve $port --RateLimits:support:TokenPermitLimit=1000000

echo "== inserting 100,000 activity items over a year, across 2,000 providers"
psql -q -h "$work/pg/run" -U postgres -d register <<'SQL'
INSERT INTO activity_log.provider_names (id, operating_name, as_of, last_event_id)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(p), 12, '0'))::uuid, 'Provider ' || p, now(), gen_random_uuid() FROM generate_series(1, 2000) AS p;
INSERT INTO activity_log.activity_items (event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids)
SELECT gen_random_uuid(), now() - (n * interval '5 minutes'),
       (ARRAY['provider','accreditation','address','contact','partnership'])[1 + n % 5], gen_random_uuid(),
       (ARRAY['created','updated','deleted'])[1 + n % 3], 'api_client', gen_random_uuid(), 'Benchmark client',
       '[{"field":"operating_name","old_value":"Old name","new_value":"New name"}]',
       ARRAY[('00000000-0000-0000-0000-' || lpad(to_hex(1 + n % 2000), 12, '0'))::uuid]
FROM generate_series(1, 100000) AS n;
ANALYZE activity_log.activity_items;
SQL
cursor=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/support/activity?page=399" | sed -E 's/.*"next_cursor":"([^"]+)".*/\1/')
echo "== GET /support/activity"
bench latency --url "http://127.0.0.1:$port/support/activity" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/activity?page=400" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/activity?cursor=$cursor" --token "$token" --requests 200
bench latency --url "http://127.0.0.1:$port/support/providers/00000000-0000-0000-0000-000000000007/activity" --token "$token" --requests 200
