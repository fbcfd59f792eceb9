-- The simulated TRS keeps what the real one would (issue 16), so it answers as TRS does whichever Register process asks,
-- and after a restart: a TRN request id used twice is a 409, an unknown one a 404, an unknown TRN a 404, a route that
-- already Holds a 400.
CREATE TABLE trainees.simulated_trs_trn_requests (
    request_id  text PRIMARY KEY,
    trn         text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- The people the simulated TRS knows: every TRN it gave, and those it gave before it kept state.
CREATE TABLE trainees.simulated_trs_persons (
    trn         text PRIMARY KEY,
    updated_at  timestamptz NOT NULL
);
INSERT INTO trainees.simulated_trs_persons (trn, updated_at)
SELECT DISTINCT trn, now() FROM trainees.trainees WHERE trn IS NOT NULL;

CREATE TABLE trainees.simulated_trs_routes (
    trn         text NOT NULL REFERENCES trainees.simulated_trs_persons (trn),
    reference   text NOT NULL,
    route_type  text NOT NULL,
    status      text NOT NULL,
    holds_from  date,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (trn, reference)
);

-- A TRN request's id is made once, when the request is owed, so a retry can only ever repeat it.
UPDATE trainees.trs_requests SET trn_request_id = gen_random_uuid() WHERE kind = 'trn' AND trn_request_id IS NULL AND completed_at IS NULL;
