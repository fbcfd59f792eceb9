-- What the building blocks keep for scheduled jobs (the daily jobs, scheduled backups, clean-ups): one row per job and
-- due time that ran to the end, written in the transaction that holds the job's advisory lock, so with several Register
-- processes on one database each due time runs once (docs/adr/0015-two-instances-on-one-database.md).
CREATE SCHEMA IF NOT EXISTS jobs;

CREATE TABLE jobs.job_runs (
    job          text NOT NULL,
    due_at       timestamptz NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    changed      integer NOT NULL,
    instance     text NOT NULL,
    PRIMARY KEY (job, due_at)
);
