-- Who to tell when an upload's check ends (the "upload checked" email): the address of the person who uploaded it in
-- the browser. An upload over the API, by a token, has none, and no email is sent for it.
ALTER TABLE trainees.trainee_uploads ADD COLUMN created_by_email text;
