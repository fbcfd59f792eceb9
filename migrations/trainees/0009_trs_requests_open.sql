-- Support's view of the TRS queue (issue 16) counts and lists the open requests, failed ones included, oldest first; the
-- table keeps every request ever made, so it reads them through this index.
CREATE INDEX trs_requests_open ON trainees.trs_requests (created_at, id) WHERE completed_at IS NULL;
