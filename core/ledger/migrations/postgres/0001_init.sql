-- Ledger tables, PostgreSQL. Keep in step with schema-postgres.ts.
CREATE TABLE IF NOT EXISTS keys (
  id text PRIMARY KEY NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  prefix text NOT NULL UNIQUE,
  name text NOT NULL,
  tags jsonb NOT NULL,
  credit_limit bigint,
  spent bigint DEFAULT 0 NOT NULL,
  reserved bigint DEFAULT 0 NOT NULL,
  disabled boolean DEFAULT false NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
  id text PRIMARY KEY NOT NULL,
  key_id text,
  route text,
  requested_model text NOT NULL,
  model text,
  provider text,
  endpoint text,
  status integer NOT NULL,
  error_code text,
  attempts jsonb NOT NULL,
  stream boolean NOT NULL,
  input_tokens integer,
  output_tokens integer,
  cached_tokens integer,
  cache_write_tokens integer,
  reasoning_tokens integer,
  tokens_estimated boolean DEFAULT false NOT NULL,
  cost bigint NOT NULL,
  fee bigint NOT NULL,
  total bigint NOT NULL,
  latency_ms integer NOT NULL,
  ttft_ms integer,
  created_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_created_at_idx ON requests (created_at);
CREATE INDEX IF NOT EXISTS requests_key_created_idx ON requests (key_id, created_at);
CREATE TABLE IF NOT EXISTS daily_rollups (
  day text NOT NULL,
  key_id text DEFAULT '' NOT NULL,
  model text DEFAULT '' NOT NULL,
  provider text DEFAULT '' NOT NULL,
  route text DEFAULT '' NOT NULL,
  requests bigint DEFAULT 0 NOT NULL,
  input_tokens bigint DEFAULT 0 NOT NULL,
  output_tokens bigint DEFAULT 0 NOT NULL,
  cached_tokens bigint DEFAULT 0 NOT NULL,
  cache_write_tokens bigint DEFAULT 0 NOT NULL,
  reasoning_tokens bigint DEFAULT 0 NOT NULL,
  cost bigint DEFAULT 0 NOT NULL,
  fee bigint DEFAULT 0 NOT NULL,
  total bigint DEFAULT 0 NOT NULL,
  PRIMARY KEY (day, key_id, model, provider, route)
);
CREATE INDEX IF NOT EXISTS daily_rollups_key_day_idx ON daily_rollups (key_id, day);
