-- The ActivityLog module: one row per change any module reports, keyed by the notification's event id,
-- so delivering the same notification twice records it once.
CREATE SCHEMA IF NOT EXISTS activity_log;

CREATE TABLE activity_log.activity_items (
    event_id      uuid PRIMARY KEY,
    occurred_at   timestamptz NOT NULL,
    record_type   text NOT NULL,
    record_id     uuid NOT NULL,
    action        text NOT NULL,
    actor_type    text NOT NULL,
    actor_id      uuid,
    actor_name    text NOT NULL,
    changes       jsonb NOT NULL,
    provider_ids  uuid[] NOT NULL DEFAULT '{}',
    recorded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX activity_items_timeline ON activity_log.activity_items (occurred_at DESC, event_id DESC);
CREATE INDEX activity_items_providers ON activity_log.activity_items USING gin (provider_ids);
