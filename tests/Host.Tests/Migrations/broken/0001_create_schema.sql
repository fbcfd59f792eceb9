CREATE SCHEMA broken;
CREATE TABLE broken.things (id uuid PRIMARY KEY);
