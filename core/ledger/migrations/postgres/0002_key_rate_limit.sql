-- Per-key request rate limit (requests per minute); NULL means no limit.
ALTER TABLE keys ADD COLUMN IF NOT EXISTS rate_limit integer;
