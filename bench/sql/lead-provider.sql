-- :n schools in partnership with one lead provider (:lp) for the cohort :year - 1, two participants each (training
-- periods). Used by bench/lists.sh and bench/statements.sh (through seed_lead_provider in bench/data.sh).
INSERT INTO partnerships.cohorts (year, started_on, finished_on, enabled) VALUES (:year - 1, make_date(:year - 1, 6, 1), make_date(:year, 5, 31), true)
ON CONFLICT DO NOTHING;
INSERT INTO partnerships.lead_providers (id, name, created_at) VALUES (:'lp', 'Benchmark LP', now());
INSERT INTO partnerships.delivery_partners (id, name, created_at, api_updated_at) VALUES ('00000000-0000-0000-0000-0000000000d1', 'Benchmark DP', now(), now());
INSERT INTO partnerships.lead_provider_cohorts (id, lead_provider_id, cohort_year) VALUES ('00000000-0000-0000-0000-0000000000c1', :'lp', :year - 1);
INSERT INTO partnerships.lead_provider_delivery_partners (id, lead_provider_cohort_id, delivery_partner_id, created_at)
VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1', now());
INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, induction_tutor_name, induction_tutor_email, created_at, updated_at)
SELECT ('10000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, (100000 + n)::text, 'School ' || n, 'open', 'Community school', 'Tutor ' || n,
       'tutor' || n || '@example.com', now() - n * interval '1 minute', now()
FROM generate_series(1, :n) AS n;
INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
SELECT ('20000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, ('10000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid,
       '00000000-0000-0000-0000-0000000000e1', :'lp', :year - 1, 'lead_provider', now() - n * interval '1 minute', now()
FROM generate_series(1, :n) AS n;
INSERT INTO partnerships.training_periods (id, participant_id, role, school_id, cohort_year, training_programme, expression_of_interest_lead_provider_id,
    school_partnership_id, started_on, created_at, updated_at)
SELECT gen_random_uuid(), gen_random_uuid(), CASE WHEN n % 2 = 0 THEN 'ect' ELSE 'mentor' END, ('10000000-0000-0000-0000-' || lpad(to_hex(1 + n % :n), 12, '0'))::uuid,
       :year - 1, 'provider_led', :'lp', ('20000000-0000-0000-0000-' || lpad(to_hex(1 + n % :n), 12, '0'))::uuid, current_date - 30, now(), now()
FROM generate_series(1, 2 * :n) AS n;
ANALYZE;
