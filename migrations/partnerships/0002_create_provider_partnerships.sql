-- Provider partnerships: an accredited provider and a training partner, with dates and explicit academic years.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The module's own copy of providers, kept from the Providers module's notifications.
CREATE TABLE partnerships.partner_providers (
    id                    uuid PRIMARY KEY,
    code                  text NOT NULL,
    operating_name        text NOT NULL,
    provider_type         text NOT NULL,
    accreditation_status  text NOT NULL,
    archived              boolean NOT NULL,
    deleted               boolean NOT NULL,
    -- The notification this copy comes from: a copy only moves forward, by (as_of, last_event_id).
    as_of                 timestamptz NOT NULL,
    last_event_id         uuid NOT NULL
);
CREATE INDEX partner_providers_code ON partnerships.partner_providers (upper(code));

CREATE TABLE partnerships.provider_partnerships (
    id                      uuid PRIMARY KEY,
    accredited_provider_id  uuid NOT NULL,
    training_partner_id     uuid NOT NULL,
    start_date              date NOT NULL,
    end_date                date,
    -- Start years: 2025 is 1 August 2025 to 31 July 2026.
    academic_years          integer[] NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    deleted_at              timestamptz,
    CONSTRAINT provider_partnerships_dates CHECK (end_date IS NULL OR end_date >= start_date),
    CONSTRAINT provider_partnerships_not_self CHECK (accredited_provider_id <> training_partner_id),
    CONSTRAINT provider_partnerships_years CHECK (cardinality(academic_years) > 0),
    -- One kept partnership per pair for any day: a second one must not overlap it (an open end runs forever).
    CONSTRAINT provider_partnerships_no_overlap EXCLUDE USING gist (
        accredited_provider_id WITH =, training_partner_id WITH =, daterange(start_date, end_date, '[]') WITH &&
    ) WHERE (deleted_at IS NULL)
);
CREATE INDEX provider_partnerships_accredited ON partnerships.provider_partnerships (accredited_provider_id) WHERE deleted_at IS NULL;
CREATE INDEX provider_partnerships_partner ON partnerships.provider_partnerships (training_partner_id) WHERE deleted_at IS NULL;

-- Notifications of changes, written in the change's transaction and published after commit.
CREATE TABLE partnerships.outbox (
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
CREATE INDEX outbox_pending ON partnerships.outbox (occurred_at, id) WHERE dispatched_at IS NULL;
