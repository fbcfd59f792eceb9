-- The lead provider API's partnership list in either of its orders (created_at or updated_at, then id), each index
-- holding what the list's filters and its page query read: a page is found by an index-only scan, a seek to a
-- remembered page start bounds the scan, and rows skipped by OFFSET cost an index entry each.
CREATE INDEX school_partnerships_lead_provider_created ON partnerships.school_partnerships (lead_provider_id, created_at, id)
    INCLUDE (cohort_year, api_updated_at, school_id, lead_provider_delivery_partner_id);
CREATE INDEX school_partnerships_lead_provider_updated ON partnerships.school_partnerships (lead_provider_id, api_updated_at, id)
    INCLUDE (cohort_year, created_at, school_id, lead_provider_delivery_partner_id);
DROP INDEX IF EXISTS partnerships.school_partnerships_lead_provider;

-- participants_currently_training of a page of partnerships, counted from the index alone.
CREATE INDEX training_periods_partnership_dates ON partnerships.training_periods (school_partnership_id) INCLUDE (started_on, finished_on);
DROP INDEX IF EXISTS partnerships.training_periods_partnership;
