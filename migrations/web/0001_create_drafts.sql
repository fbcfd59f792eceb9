-- What the web pages share: the drafts of multi-step journeys (add a provider, add a partnership, ...), kept
-- server-side per signed-in session and journey until the journey ends or the draft is a day old.
CREATE SCHEMA IF NOT EXISTS web;

CREATE TABLE web.drafts (
    session_id  uuid NOT NULL,
    journey     text NOT NULL,
    data        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (session_id, journey)
);
CREATE INDEX drafts_expiry ON web.drafts (expires_at);
