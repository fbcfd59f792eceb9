-- The Providers module: the register of training providers.
CREATE SCHEMA IF NOT EXISTS providers;
