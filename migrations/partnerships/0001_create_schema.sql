-- The Partnerships module: provider partnerships and the lead provider API.
CREATE SCHEMA IF NOT EXISTS partnerships;
