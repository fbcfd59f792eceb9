-- People who sign in to the web pages: support users and API users (system admins are support users no one can
-- change), their sessions, the one-time links that set a password, the keys that protect their cookies, and the
-- daily usage of each API client.
CREATE TABLE access.users (
    id                 uuid PRIMARY KEY,
    first_name         text NOT NULL,
    last_name          text NOT NULL,
    email              text NOT NULL,
    role               text NOT NULL CHECK (role IN ('support', 'api_user')),
    system_admin       boolean NOT NULL DEFAULT false,
    active             boolean NOT NULL DEFAULT true,
    -- The identity provider's subject id (DfE Sign-in), set at the first sign-in through it.
    oidc_subject       text,
    -- PBKDF2 of the password (never the password), for Register's own sign-in.
    password_hash      text,
    failed_sign_ins    integer NOT NULL DEFAULT 0,
    locked_until       timestamptz,
    last_signed_in_at  timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz,
    CONSTRAINT users_system_admins_are_support CHECK (NOT system_admin OR role = 'support')
);
-- An email address names one account among those not deleted, ignoring case.
CREATE UNIQUE INDEX users_email_key ON access.users (lower(email)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_oidc_subject_key ON access.users (lower(oidc_subject)) WHERE deleted_at IS NULL AND oidc_subject IS NOT NULL;
CREATE INDEX users_by_name ON access.users (lower(first_name), lower(last_name), id) WHERE deleted_at IS NULL;

-- A signed-in session: the cookie names it; signing out, deactivation or two idle hours end it.
CREATE TABLE access.user_sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES access.users (id),
    method        text NOT NULL CHECK (method IN ('password', 'link', 'oidc')),
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    ended_at      timestamptz
);
CREATE INDEX user_sessions_live ON access.user_sessions (user_id) WHERE ended_at IS NULL;

-- One-time links that let a person set their password (and sign in): kept as a keyed hash, used once, a week at most.
CREATE TABLE access.sign_in_links (
    token_hash       bytea PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES access.users (id),
    created_at       timestamptz NOT NULL,
    created_by_name  text NOT NULL,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz
);
CREATE INDEX sign_in_links_user ON access.sign_in_links (user_id);

-- The ASP.NET Core data protection key ring (session and anti-forgery cookies), shared by every instance.
CREATE TABLE access.data_protection_keys (
    name        text PRIMARY KEY,
    xml         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Requests per API client, London day, endpoint and status class, counted in memory and added here in batches.
CREATE TABLE access.api_client_usage (
    client_id     uuid NOT NULL,
    day           date NOT NULL,
    endpoint      text NOT NULL,
    status_class  smallint NOT NULL CHECK (status_class BETWEEN 1 AND 5),
    requests      integer NOT NULL,
    PRIMARY KEY (client_id, day, endpoint, status_class)
);
CREATE INDEX api_client_usage_day ON access.api_client_usage (day);
