-- A school's postcode (GIAS "Postcode"): trainee placements at the school show it.
ALTER TABLE partnerships.schools ADD COLUMN postcode text;
