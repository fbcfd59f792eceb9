-- Timelines: one record's history (a trainee's, say) and filters by record type, newest first.
CREATE INDEX activity_items_record ON activity_log.activity_items (record_type, record_id, occurred_at DESC, event_id DESC);
CREATE INDEX activity_items_type ON activity_log.activity_items (record_type, occurred_at DESC, event_id DESC);

-- The names of providers, kept from the Providers module's notifications, to title items in the global timeline.
CREATE TABLE activity_log.provider_names (
    id              uuid PRIMARY KEY,
    operating_name  text NOT NULL,
    deleted         boolean NOT NULL DEFAULT false,
    -- The notification this copy comes from: a copy only moves forward, by (as_of, last_event_id).
    as_of           timestamptz NOT NULL,
    last_event_id   uuid NOT NULL
);
