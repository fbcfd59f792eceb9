-- The Access module: API clients and their tokens (one token per client, stored only as a keyed hash).
CREATE SCHEMA IF NOT EXISTS access;

CREATE TABLE access.api_clients (
    id               uuid PRIMARY KEY,
    name             text NOT NULL,
    audience         text NOT NULL CHECK (audience IN ('support', 'providers_api', 'trainees_api', 'lead_provider_api')),
    -- The training provider (trainees_api) or lead provider (lead_provider_api) the token acts for.
    organisation_id  uuid,
    token_hash       bytea NOT NULL,
    expires_on       date NOT NULL,
    created_at       timestamptz NOT NULL,
    created_by_name  text NOT NULL,
    created_by_id    uuid,
    updated_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_by_name  text,
    deleted_at       timestamptz,
    last_used_at     timestamptz,
    CONSTRAINT api_clients_organisation_matches_audience
        CHECK ((audience IN ('trainees_api', 'lead_provider_api')) = (organisation_id IS NOT NULL))
);

CREATE UNIQUE INDEX api_clients_token_hash_key ON access.api_clients (token_hash);
-- Names are unique among clients that are not deleted, ignoring case.
CREATE UNIQUE INDEX api_clients_name_key ON access.api_clients (lower(name)) WHERE deleted_at IS NULL;

-- Notifications of changes, written in the change's transaction and published after commit.
CREATE TABLE access.outbox (
    id               uuid PRIMARY KEY,
    type             text NOT NULL,
    payload          jsonb NOT NULL,
    occurred_at      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    dispatched_at    timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    next_attempt_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON access.outbox (occurred_at, id) WHERE dispatched_at IS NULL;
