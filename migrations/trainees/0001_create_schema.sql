-- The Trainees module: trainee teachers registered by SRS vendors and providers.
CREATE SCHEMA IF NOT EXISTS trainees;
