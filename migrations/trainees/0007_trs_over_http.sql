-- TRS over HTTP (issue 16): the work Register owes TRS now covers every call the reference makes, and support can see
-- what is pending or stuck.
--   trn            POST /v3/trn-requests, then GET ?requestId= until TRS gives a TRN
--   route          PUT /v3/persons/{trn}/routes-to-professional-statuses/{reference}: InTraining / UnderAssessment,
--                  Deferred or Withdrawn, from the trainee's state when it is sent
--   award          the same PUT with Holds and holdsFrom; on success the recommended trainee becomes awarded
--   personal_data  PUT /v3/persons/{trn} after an edit of a trainee with a TRN (not withdrawn or awarded)
ALTER TABLE trainees.trs_requests DROP CONSTRAINT trs_requests_kind_check;
ALTER TABLE trainees.trs_requests ADD CONSTRAINT trs_requests_kind_check CHECK (kind IN ('trn', 'award', 'route', 'personal_data'));

ALTER TABLE trainees.trs_requests
    -- The requestId Register sent with its TRN request; polling asks for it, and a retry reuses it (never a second request).
    ADD COLUMN trn_request_id      uuid,
    -- When TRS accepted the TRN request: from then on Register polls for the TRN.
    ADD COLUMN trn_requested_at    timestamptz,
    -- TRS answered Pending with potentialDuplicate: its staff check the match by hand, which can take days.
    ADD COLUMN potential_duplicate boolean NOT NULL DEFAULT false,
    ADD COLUMN last_attempt_at     timestamptz,
    -- TRS refused the request in a way a retry cannot change (a 4xx it explains): kept, not retried, until support retries it.
    ADD COLUMN failed_at           timestamptz;

CREATE UNIQUE INDEX trs_requests_trn_request_id ON trainees.trs_requests (trn_request_id) WHERE trn_request_id IS NOT NULL;
DROP INDEX trainees.trs_requests_due;
CREATE INDEX trs_requests_due ON trainees.trs_requests (due_at) WHERE completed_at IS NULL AND failed_at IS NULL;
