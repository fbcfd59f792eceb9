-- Trainee records, their degrees and placements, the module's copies of providers and schools, and its outbox.

-- Providers as the Providers module last reported them: the token's provider, and training partners by URN or UKPRN.
CREATE TABLE trainees.providers (
    id             uuid PRIMARY KEY,
    code           text NOT NULL,
    name           text NOT NULL,
    provider_type  text NOT NULL,
    ukprn          text,
    urn            text,
    archived       boolean NOT NULL,
    deleted        boolean NOT NULL,
    -- The notification this copy comes from: a copy only moves forward, by (as_of, last_event_id).
    as_of          timestamptz NOT NULL,
    last_event_id  uuid NOT NULL
);
CREATE INDEX providers_urn ON trainees.providers (urn) WHERE NOT deleted;
CREATE INDEX providers_ukprn ON trainees.providers (ukprn) WHERE NOT deleted;

-- Schools (GIAS) as the Partnerships module last reported them: employing schools and placement schools by URN.
CREATE TABLE trainees.schools (
    id             uuid PRIMARY KEY,
    urn            text NOT NULL,
    name           text NOT NULL,
    postcode       text,
    as_of          timestamptz NOT NULL,
    last_event_id  uuid NOT NULL
);
CREATE INDEX schools_urn ON trainees.schools (urn);

CREATE TABLE trainees.trainees (
    id                                       uuid PRIMARY KEY,
    -- The public id: 24 random base58 characters.
    slug                                     text NOT NULL UNIQUE,
    provider_id                              uuid NOT NULL,
    state                                    text NOT NULL CHECK (state IN
        ('draft', 'submitted_for_trn', 'trn_received', 'recommended_for_award', 'withdrawn', 'deferred', 'awarded')),
    record_source                            text NOT NULL CHECK (record_source IN ('api', 'csv')),
    provider_trainee_id                      text,
    application_id                           integer,
    hesa_id                                  text,
    first_names                              text NOT NULL,
    middle_names                             text,
    last_name                                text NOT NULL,
    previous_last_name                       text,
    date_of_birth                            date NOT NULL,
    ni_number                                text,
    email                                    text,
    -- HESA codes, as the API takes and answers them.
    sex                                      text NOT NULL,
    nationality                              text,
    ethnicity                                text NOT NULL,
    disabilities                             text[] NOT NULL DEFAULT '{}',
    itt_aim                                  text,
    itt_qualification_aim                    text,
    training_route                           text NOT NULL,
    course_subject_1                         text,
    course_subject_2                         text,
    course_subject_3                         text,
    study_mode                               text,
    course_age_range                         text,
    course_year                              integer,
    fund_code                                text,
    funding_method                           text,
    iqts_country                             text,
    -- Internal names ('now_teach', 'no_initiative', 'veterans_teaching_undergraduate_bursary'): some have no code.
    training_initiative                      text NOT NULL DEFAULT 'no_initiative',
    additional_training_initiative           text,
    itt_start_date                           date NOT NULL,
    itt_end_date                             date NOT NULL,
    trainee_start_date                       date,
    pg_apprenticeship_start_date             date,
    -- The academic year (its starting calendar year) the trainee started in: the list's and duplicates' cycle.
    start_academic_year                      integer NOT NULL,
    training_partner_id                      uuid,
    employing_school_urn                     text,
    trn                                      text,
    submitted_for_trn_at                     timestamptz,
    outcome_date                             date,
    recommended_for_award_at                 timestamptz,
    awarded_at                               timestamptz,
    defer_date                               date,
    defer_reason                             text,
    reinstate_date                           date,
    withdrawal_date                          date,
    withdrawal_trigger                       text,
    withdrawal_future_interest               text,
    withdrawal_reasons                       text[],
    withdrawal_another_reason                text,
    withdrawal_safeguarding_concern_reasons  text,
    created_at                               timestamptz NOT NULL,
    updated_at                               timestamptz NOT NULL,
    discarded_at                             timestamptz
);
-- GET /trainees: one provider's trainees of one academic year, newest change first.
CREATE INDEX trainees_list ON trainees.trainees (provider_id, start_academic_year, updated_at DESC, id DESC) WHERE discarded_at IS NULL;
-- Duplicate detection: the same provider's trainees with the same date of birth and last name.
CREATE INDEX trainees_duplicates ON trainees.trainees (provider_id, date_of_birth, lower(last_name)) WHERE discarded_at IS NULL;

CREATE TABLE trainees.degrees (
    id               uuid PRIMARY KEY,
    slug             text NOT NULL UNIQUE,
    trainee_id       uuid NOT NULL REFERENCES trainees.trainees (id) ON DELETE CASCADE,
    locale_code      text NOT NULL CHECK (locale_code IN ('uk', 'non_uk')),
    -- HESA codes, and the reference data ids the API shows beside them (an unknown institution is "Other UK": no code, an id).
    subject          text,
    subject_uuid     text,
    institution      text,
    institution_uuid text,
    uk_degree        text,
    uk_degree_uuid   text,
    non_uk_degree    text,
    grade            text,
    grade_uuid       text,
    other_grade      text,
    country          text,
    graduation_year  integer,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX degrees_trainee ON trainees.degrees (trainee_id, created_at, id);

CREATE TABLE trainees.placements (
    id           uuid PRIMARY KEY,
    slug         text NOT NULL UNIQUE,
    trainee_id   uuid NOT NULL REFERENCES trainees.trainees (id) ON DELETE CASCADE,
    urn          text,
    name         text,
    postcode     text,
    school_id    uuid,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX placements_trainee ON trainees.placements (trainee_id, created_at, id);

-- Notifications of changes, written in the change's transaction and published after commit.
CREATE TABLE trainees.outbox (
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
CREATE INDEX outbox_pending ON trainees.outbox (occurred_at, id) WHERE dispatched_at IS NULL;
