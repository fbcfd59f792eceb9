-- Personal data (ADR 16).

-- Records whose personal data their module erased, from its notification: the values of these fields are redacted in the
-- record's items (of these record types), those already here and any delivered later, and the items age out after
-- PersonalData:ErasedActivityRetentionDays.
CREATE TABLE activity_log.erasures (
    record_id     uuid PRIMARY KEY,
    event_id      uuid NOT NULL,
    erased_at     timestamptz NOT NULL,
    record_types  text[] NOT NULL,
    -- [{"record_type": "trainee", "fields": ["first_names", ...]}, ...]
    fields        jsonb NOT NULL
);
