-- Support's reads of personal data (ADR 16).

-- Who read a record's personal data through support's API or pages, when, and what they asked for: one row per record shown.
CREATE TABLE activity_log.personal_data_reads (
    id           uuid PRIMARY KEY,
    read_at      timestamptz NOT NULL,
    actor_type   text NOT NULL,
    actor_id     uuid,
    actor_name   text NOT NULL,
    record_type  text NOT NULL,
    record_id    uuid NOT NULL,
    path         text NOT NULL
);
CREATE INDEX personal_data_reads_newest ON activity_log.personal_data_reads (read_at DESC, id DESC);
CREATE INDEX personal_data_reads_record ON activity_log.personal_data_reads (record_type, record_id, read_at DESC);
