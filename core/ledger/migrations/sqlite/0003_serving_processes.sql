-- The gateways serving this file, each while it runs: a starting gateway drops the credit holds
-- left by dead ones only when no live one may still settle its own.
CREATE TABLE serving_processes (
  id text PRIMARY KEY NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at integer NOT NULL
);
