-- Emails to send (issue 13): written in the transaction of the change that causes them (an invitation, an upload's
-- check, a token about to expire), sent afterwards by the email worker through GOV.UK Notify or into the local mailbox
-- folder. A notice's key names it once: writing the same notice again changes nothing, so each is sent once. Sending
-- never blocks the change: a failure is kept in last_error and tried again later.
CREATE SCHEMA IF NOT EXISTS email;

CREATE TABLE email.outbox (
    id               uuid PRIMARY KEY,
    notice_key       text NOT NULL UNIQUE,
    recipient        text NOT NULL,
    subject          text NOT NULL,
    body             text NOT NULL,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    sent_at          timestamptz,
    -- What the sender said it was (GOV.UK Notify's notification id, or the mailbox file's name).
    sent_as          text
);
CREATE INDEX outbox_unsent ON email.outbox (next_attempt_at, id) WHERE sent_at IS NULL;

-- A secret an email carries (a one-time sign-in link), protected with the data protection keys (ADR 12) rather than in
-- the body, which holds the placeholder ((secret)); the worker puts it in at send time and then forgets it.
ALTER TABLE email.outbox ADD COLUMN protected_secret text;
