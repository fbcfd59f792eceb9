-- The trainee lists (the API's and the pages'): the provider's kept, non-draft trainees of a cycle (TraineeStore.Listed),
-- by updated_at and then id in the same direction, so a page starts by seeking to its first row's (updated_at, id) and a
-- count walks only the list's own entries (ADR 27). It replaces trainees_list, which also held drafts and ordered the
-- tie-break one way only.
CREATE INDEX trainees_listed ON trainees.trainees (provider_id, start_academic_year, updated_at DESC, id DESC)
    WHERE discarded_at IS NULL AND state <> 'draft';
DROP INDEX trainees.trainees_list;
