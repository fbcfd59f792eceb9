-- The trainee lifecycle's work for the Teaching Regulation Service, and CSV bulk uploads.

-- Work for TRS, kept until done so a restart loses none: a TRN to allocate, or an award to make, from due_at on.
CREATE TABLE trainees.trs_requests (
    id            uuid PRIMARY KEY,
    trainee_id    uuid NOT NULL REFERENCES trainees.trainees (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('trn', 'award')),
    due_at        timestamptz NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    created_at    timestamptz NOT NULL,
    completed_at  timestamptz
);
CREATE INDEX trs_requests_due ON trainees.trs_requests (due_at) WHERE completed_at IS NULL;
CREATE UNIQUE INDEX trs_requests_one_open ON trainees.trs_requests (trainee_id, kind) WHERE completed_at IS NULL;

-- The simulated TRS's TRNs: seven digits, never reused.
CREATE SEQUENCE trainees.simulated_trns START WITH 2000001 MAXVALUE 9999999;

CREATE TABLE trainees.trainee_uploads (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE,
    provider_id     uuid NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'validated', 'in_progress', 'succeeded', 'failed', 'cancelled')),
    file_name       text,
    total_rows      integer NOT NULL,
    rows_processed  integer NOT NULL DEFAULT 0,
    rows_failed     integer NOT NULL DEFAULT 0,
    failure         text,
    created_by_id   uuid,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    validated_at    timestamptz,
    submitted_at    timestamptz,
    completed_at    timestamptz
);
CREATE INDEX trainee_uploads_provider ON trainees.trainee_uploads (provider_id, created_at DESC);
CREATE INDEX trainee_uploads_work ON trainees.trainee_uploads (updated_at) WHERE status IN ('pending', 'in_progress');

-- One row of an upload: its cells (header → value), and what came of it in the last run.
CREATE TABLE trainees.trainee_upload_rows (
    upload_id    uuid NOT NULL REFERENCES trainees.trainee_uploads (id) ON DELETE CASCADE,
    row_number   integer NOT NULL,
    line         integer NOT NULL,
    cells        jsonb NOT NULL,
    error_type   text CHECK (error_type IN ('duplicate', 'validation')),
    errors       text[] NOT NULL DEFAULT '{}',
    trainee_slug text,
    PRIMARY KEY (upload_id, row_number)
);
