-- :n activity items, one every 5 minutes back from now, across 2,000 providers. Used by bench/lists.sh and
-- bench/statements.sh (through seed_activity in bench/data.sh).
INSERT INTO activity_log.provider_names (id, operating_name, as_of, last_event_id)
SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(p), 12, '0'))::uuid, 'Provider ' || p, now(), gen_random_uuid() FROM generate_series(1, 2000) AS p
ON CONFLICT DO NOTHING;
INSERT INTO activity_log.activity_items (event_id, occurred_at, record_type, record_id, action, actor_type, actor_id, actor_name, changes, provider_ids)
SELECT gen_random_uuid(), now() - (n * interval '5 minutes'),
       (ARRAY['provider','accreditation','address','contact','partnership'])[1 + n % 5], gen_random_uuid(),
       (ARRAY['created','updated','deleted'])[1 + n % 3], 'api_client', gen_random_uuid(), 'Benchmark client',
       '[{"field":"operating_name","old_value":"Old name","new_value":"New name"}]',
       ARRAY[('00000000-0000-0000-0000-' || lpad(to_hex(1 + n % 2000), 12, '0'))::uuid]
FROM generate_series(1, :n) AS n;
ANALYZE activity_log.activity_items;
