-- A row an upload's run never reached, because the run failed (not a rule of the row), says so: error_type 'runtime'.
ALTER TABLE trainees.trainee_upload_rows DROP CONSTRAINT trainee_upload_rows_error_type_check;
ALTER TABLE trainees.trainee_upload_rows
    ADD CONSTRAINT trainee_upload_rows_error_type_check CHECK (error_type IN ('duplicate', 'validation', 'runtime'));
