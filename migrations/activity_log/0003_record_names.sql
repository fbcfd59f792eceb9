-- What a record is called when no provider names it (a user, an API client): the title of its card in the global log.
ALTER TABLE activity_log.activity_items ADD COLUMN record_name text;
