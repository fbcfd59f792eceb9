-- Schools (from GIAS), their partnerships with a lead provider and a delivery partner in a cohort, and the
-- participants' training periods behind the lead provider API's derived fields.

CREATE TABLE partnerships.schools (
    id                       uuid PRIMARY KEY,
    urn                      text NOT NULL,
    name                     text NOT NULL,
    gias_status              text NOT NULL CHECK (gias_status IN ('open', 'closed', 'proposed_to_close', 'proposed_to_open')),
    type_name                text NOT NULL,
    in_england               boolean NOT NULL DEFAULT true,
    section_41_approved      boolean NOT NULL DEFAULT false,
    marked_as_eligible       boolean NOT NULL DEFAULT false,
    induction_tutor_name     text,
    induction_tutor_email    text,
    primary_contact_email    text,
    secondary_contact_email  text,
    created_at               timestamptz NOT NULL,
    -- Moves when anything lead providers see of the school itself changes.
    updated_at               timestamptz NOT NULL,
    CONSTRAINT schools_tutor_whole CHECK ((induction_tutor_name IS NULL) = (induction_tutor_email IS NULL))
);
CREATE UNIQUE INDEX schools_urn_key ON partnerships.schools (urn);

CREATE TABLE partnerships.school_partnerships (
    id                                 uuid PRIMARY KEY,
    school_id                          uuid NOT NULL REFERENCES partnerships.schools (id),
    lead_provider_delivery_partner_id  uuid NOT NULL REFERENCES partnerships.lead_provider_delivery_partners (id),
    -- Copies of what the contract says, for the rule below and for lookups.
    lead_provider_id                   uuid NOT NULL,
    cohort_year                        integer NOT NULL,
    -- 'lead_provider' (made through the API) or 'support' (DfE, which may add more with other delivery partners).
    source                             text NOT NULL CHECK (source IN ('lead_provider', 'support')),
    created_at                         timestamptz NOT NULL,
    -- What lead providers see as updated_at.
    api_updated_at                     timestamptz NOT NULL,
    CONSTRAINT school_partnerships_contract_key UNIQUE (school_id, lead_provider_delivery_partner_id)
);
-- Through the API, a lead provider has at most one partnership with a school in a cohort, even under concurrency.
CREATE UNIQUE INDEX school_partnerships_one_per_lead_provider
    ON partnerships.school_partnerships (school_id, lead_provider_id, cohort_year) WHERE source = 'lead_provider';
CREATE INDEX school_partnerships_lead_provider ON partnerships.school_partnerships (lead_provider_id, created_at);

CREATE TABLE partnerships.training_periods (
    id                                       uuid PRIMARY KEY,
    participant_id                           uuid NOT NULL,
    role                                     text NOT NULL CHECK (role IN ('ect', 'mentor')),
    school_id                                uuid NOT NULL REFERENCES partnerships.schools (id),
    cohort_year                              integer NOT NULL REFERENCES partnerships.cohorts (year),
    training_programme                       text NOT NULL CHECK (training_programme IN ('provider_led', 'school_led')),
    -- The lead provider the school chose for the participant before any partnership: an expression of interest.
    expression_of_interest_lead_provider_id  uuid REFERENCES partnerships.lead_providers (id),
    school_partnership_id                    uuid REFERENCES partnerships.school_partnerships (id),
    started_on                               date NOT NULL,
    finished_on                              date,
    created_at                               timestamptz NOT NULL,
    updated_at                               timestamptz NOT NULL,
    CONSTRAINT training_periods_dates CHECK (finished_on IS NULL OR finished_on >= started_on)
);
CREATE INDEX training_periods_school ON partnerships.training_periods (school_id, cohort_year);
CREATE INDEX training_periods_partnership ON partnerships.training_periods (school_partnership_id);
