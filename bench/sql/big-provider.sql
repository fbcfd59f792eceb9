-- :n more trainees (each with a degree and a placement) for one provider (:provider, one of the 200 of trainees.sql),
-- as a provider grown over the years, all in cycle :cycle and changed before any trainee of trainees.sql. Used by
-- bench/trainees.sh (through seed_big_provider in bench/data.sh).
INSERT INTO trainees.trainees (id, slug, provider_id, state, record_source, hesa_id, first_names, last_name, date_of_birth, email, sex, nationality,
    ethnicity, disabilities, itt_aim, itt_qualification_aim, training_route, course_subject_1, study_mode, course_age_range, course_year, fund_code,
    funding_method, training_initiative, itt_start_date, itt_end_date, trainee_start_date, start_academic_year, submitted_for_trn_at, created_at, updated_at)
SELECT ('20000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, translate(substr(md5('b' || n), 1, 24), '0', 'z'),
       :'provider', 'submitted_for_trn', 'api', lpad(n::text, 13, '0'),
       'Big' || n, 'Provider' || n, date '1990-01-01' + (n % 3000), 'big' || n || '@example.com', '10', 'GB', '997', '{58}', '202', '020', '12',
       '100403', '01', '13918', 1, '2', '6', 'no_initiative', make_date(:cycle, 9, 1), make_date(:cycle + 1, 7, 31), make_date(:cycle, 9, 1), :cycle,
       now() - interval '1 year' - n * interval '1 second', now() - interval '1 year' - n * interval '1 second', now() - interval '1 year' - n * interval '1 second'
FROM generate_series(1, :n) AS n;
INSERT INTO trainees.degrees (id, slug, trainee_id, locale_code, subject, subject_uuid, institution, institution_uuid, uk_degree, uk_degree_uuid, grade,
    grade_uuid, graduation_year, created_at, updated_at)
SELECT gen_random_uuid(), translate(substr(md5('bd' || n), 1, 24), '0', 'z'), ('20000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid, 'uk',
       '100425', '918170f0-5dce-e911-a985-000d3ab79618', '0116', '1071f34a-2887-e711-80d8-005056ac45bb', '083', '1b6a5652-c197-e711-80d8-005056ac45bb',
       '02', 'e2fe18d4-8655-47cf-ab1a-8c3e0b0f078f', 2012, now(), now()
FROM generate_series(1, :n) AS n;
INSERT INTO trainees.placements (id, slug, trainee_id, urn, name, created_at, updated_at)
SELECT gen_random_uuid(), translate(substr(md5('bp' || n), 1, 24), '0', 'z'), ('20000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid,
       '900020', 'Establishment does not have a URN', now(), now()
FROM generate_series(1, :n) AS n;
ANALYZE;
