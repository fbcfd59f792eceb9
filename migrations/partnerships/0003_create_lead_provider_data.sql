-- The data behind the lead provider API (/api/v3): cohorts, lead providers, delivery partners, the contracts
-- between them per cohort, schools, school partnerships and participants' training periods.

-- A cohort ("contract period") is named by its start year.
CREATE TABLE partnerships.cohorts (
    year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    started_on   date NOT NULL,
    finished_on  date NOT NULL,
    enabled      boolean NOT NULL DEFAULT false,
    CONSTRAINT cohorts_dates CHECK (finished_on >= started_on)
);

CREATE TABLE partnerships.lead_providers (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX lead_providers_name_key ON partnerships.lead_providers (lower(name));

-- A lead provider contracted in a cohort.
CREATE TABLE partnerships.lead_provider_cohorts (
    id                uuid PRIMARY KEY,
    lead_provider_id  uuid NOT NULL REFERENCES partnerships.lead_providers (id),
    cohort_year       integer NOT NULL REFERENCES partnerships.cohorts (year),
    CONSTRAINT lead_provider_cohorts_key UNIQUE (lead_provider_id, cohort_year)
);

CREATE TABLE partnerships.delivery_partners (
    id              uuid PRIMARY KEY,
    name            text NOT NULL,
    created_at      timestamptz NOT NULL,
    -- What lead providers see as updated_at: moves when the name or the contracts change.
    api_updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX delivery_partners_name_key ON partnerships.delivery_partners (lower(name));

-- A lead provider's contract with a delivery partner in one cohort.
CREATE TABLE partnerships.lead_provider_delivery_partners (
    id                        uuid PRIMARY KEY,
    lead_provider_cohort_id   uuid NOT NULL REFERENCES partnerships.lead_provider_cohorts (id),
    delivery_partner_id       uuid NOT NULL REFERENCES partnerships.delivery_partners (id),
    created_at                timestamptz NOT NULL,
    CONSTRAINT lead_provider_delivery_partners_key UNIQUE (lead_provider_cohort_id, delivery_partner_id)
);
CREATE INDEX lead_provider_delivery_partners_partner ON partnerships.lead_provider_delivery_partners (delivery_partner_id);
