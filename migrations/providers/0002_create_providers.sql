-- The register of training providers: providers and their accreditations, addresses and contacts.
-- Soft-deleted rows keep their data (deleted_at); archived providers are read-only (archived_at).

CREATE TABLE providers.providers (
    id                    uuid PRIMARY KEY,
    rotp_id               text NOT NULL,
    operating_name        text NOT NULL,
    legal_name            text,
    provider_type         text NOT NULL CHECK (provider_type IN ('hei', 'scitt', 'school', 'other')),
    accreditation_status  text NOT NULL CHECK (accreditation_status IN ('accredited', 'unaccredited')),
    code                  text NOT NULL,
    ukprn                 text NOT NULL,
    urn                   text,
    onboarded_on          date,
    first_active_on       date,
    -- [{"start_date":"2022-08-01","end_date":"2023-07-31"|null,"reason":"None given"}]
    inactive_periods      jsonb NOT NULL DEFAULT '[]',
    archived_at           timestamptz,
    deleted_at            timestamptz,
    seed_data_notes       jsonb NOT NULL DEFAULT '{}',
    seed_data_with_issues boolean NOT NULL DEFAULT false,
    -- Names (and their normalised forms), code, UKPRN and URN, as the search index reads them.
    search_text           text NOT NULL DEFAULT '',
    searchable            tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- Codes and RoTP Ids stay unique across deleted providers too.
CREATE UNIQUE INDEX providers_code_key ON providers.providers (upper(code));
CREATE UNIQUE INDEX providers_rotp_id_key ON providers.providers (upper(rotp_id));
CREATE INDEX providers_searchable ON providers.providers USING gin (searchable);
CREATE INDEX providers_sync_order ON providers.providers (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX providers_name_order ON providers.providers (lower(operating_name), id) WHERE deleted_at IS NULL;
CREATE INDEX providers_ukprn ON providers.providers (ukprn);
CREATE INDEX providers_urn ON providers.providers (urn);

CREATE TABLE providers.accreditations (
    id          uuid PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers.providers (id),
    number      text NOT NULL,
    start_date  date NOT NULL,
    end_date    date,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz,
    CONSTRAINT accreditations_dates CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX accreditations_provider ON providers.accreditations (provider_id) WHERE deleted_at IS NULL;
CREATE INDEX accreditations_dates ON providers.accreditations (start_date, end_date) WHERE deleted_at IS NULL;

CREATE TABLE providers.addresses (
    id              uuid PRIMARY KEY,
    provider_id     uuid NOT NULL REFERENCES providers.providers (id),
    address_line_1  text NOT NULL,
    address_line_2  text,
    address_line_3  text,
    town_or_city    text NOT NULL,
    county          text,
    postcode        text NOT NULL,
    latitude        numeric(10, 6),
    longitude       numeric(10, 6),
    uprn            text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz
);
CREATE INDEX addresses_provider ON providers.addresses (provider_id) WHERE deleted_at IS NULL;

CREATE TABLE providers.contacts (
    id                uuid PRIMARY KEY,
    provider_id       uuid NOT NULL REFERENCES providers.providers (id),
    first_name        text NOT NULL,
    last_name         text NOT NULL,
    email             text NOT NULL,
    telephone_number  text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz
);
-- As the reference: an email is unique per provider, deleted contacts included.
CREATE UNIQUE INDEX contacts_email_key ON providers.contacts (provider_id, lower(email));

-- Notifications of changes, written in the change's transaction and published after commit.
CREATE TABLE providers.outbox (
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
CREATE INDEX outbox_pending ON providers.outbox (occurred_at, id) WHERE dispatched_at IS NULL;
