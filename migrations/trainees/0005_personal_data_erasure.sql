-- Erasure of a trainee's personal data (ADR 16): the personal values become NULL, the record stays, marked erased.
-- The columns an erased record no longer has may be NULL only on an erased record.
ALTER TABLE trainees.trainees
    ALTER COLUMN first_names DROP NOT NULL,
    ALTER COLUMN last_name DROP NOT NULL,
    ALTER COLUMN date_of_birth DROP NOT NULL,
    ALTER COLUMN sex DROP NOT NULL,
    ALTER COLUMN ethnicity DROP NOT NULL,
    ADD COLUMN erased_at timestamptz,
    ADD COLUMN erased_by_type text,
    ADD COLUMN erased_by_id uuid,
    ADD COLUMN erased_by_name text,
    ADD COLUMN erasure_reason text,
    ADD CONSTRAINT trainees_personal_data_unless_erased CHECK (
        erased_at IS NOT NULL
        OR (first_names IS NOT NULL AND last_name IS NOT NULL AND date_of_birth IS NOT NULL AND sex IS NOT NULL AND ethnicity IS NOT NULL)),
    ADD CONSTRAINT trainees_erasure_says_who_and_why CHECK (
        erased_at IS NULL OR (erased_by_type IS NOT NULL AND erased_by_name IS NOT NULL AND erasure_reason IS NOT NULL));

-- The upload rows that made a trainee hold its values as sent: an erasure finds them by the trainee's slug.
CREATE INDEX trainee_upload_rows_trainee ON trainees.trainee_upload_rows (trainee_slug) WHERE trainee_slug IS NOT NULL;
