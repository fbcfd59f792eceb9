-- Provider users (issue 13): people of one training provider, who use the provider service (their trainees, "Bulk add
-- new trainees", and, for accredited HEIs, their SRS vendor's API tokens). Support users invite them from the provider's
-- page. A provider user belongs to exactly one provider; no other role has one.
ALTER TABLE access.users DROP CONSTRAINT users_role_check;
ALTER TABLE access.users ADD CONSTRAINT users_role_check CHECK (role IN ('support', 'api_user', 'provider'));
ALTER TABLE access.users ADD COLUMN provider_id uuid;
ALTER TABLE access.users ADD CONSTRAINT users_provider_users_have_a_provider CHECK ((role = 'provider') = (provider_id IS NOT NULL));
CREATE INDEX users_by_provider ON access.users (provider_id, lower(first_name), lower(last_name), id) WHERE deleted_at IS NULL AND provider_id IS NOT NULL;
