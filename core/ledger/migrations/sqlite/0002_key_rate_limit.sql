-- Per-key request rate limit (requests per minute); NULL means no limit.
ALTER TABLE keys ADD COLUMN rate_limit integer;
