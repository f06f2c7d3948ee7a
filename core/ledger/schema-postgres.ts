// The ledger's tables in PostgreSQL. Same names and meaning as schema-sqlite.ts; the SQL that
// creates them ships in migrations/postgres/. Money and epoch-ms columns are bigint.

import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { AttemptRecord } from "./types.ts";

const big = (name: string) => bigint(name, { mode: "number" });

export const keys = pgTable("keys", {
  id: text("id").primaryKey(),
  secretHash: text("secret_hash").notNull().unique(),
  prefix: text("prefix").notNull().unique(),
  name: text("name").notNull(),
  tags: jsonb("tags").$type<string[]>().notNull(),
  creditLimit: big("credit_limit"),
  rateLimit: integer("rate_limit"),
  spent: big("spent").notNull().default(0),
  reserved: big("reserved").notNull().default(0),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: big("created_at").notNull(),
});

export const requests = pgTable(
  "requests",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id"),
    route: text("route"),
    requestedModel: text("requested_model").notNull(),
    model: text("model"),
    provider: text("provider"),
    endpoint: text("endpoint"),
    status: integer("status").notNull(),
    errorCode: text("error_code"),
    attempts: jsonb("attempts").$type<AttemptRecord[]>().notNull(),
    stream: boolean("stream").notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedTokens: integer("cached_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    tokensEstimated: boolean("tokens_estimated").notNull().default(false),
    cost: big("cost").notNull(),
    fee: big("fee").notNull(),
    total: big("total").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    ttftMs: integer("ttft_ms"),
    createdAt: big("created_at").notNull(),
  },
  (t) => [
    index("requests_created_at_idx").on(t.createdAt),
    index("requests_key_created_idx").on(t.keyId, t.createdAt),
  ],
);

export const dailyRollups = pgTable(
  "daily_rollups",
  {
    day: text("day").notNull(),
    keyId: text("key_id").notNull().default(""),
    model: text("model").notNull().default(""),
    provider: text("provider").notNull().default(""),
    route: text("route").notNull().default(""),
    requests: big("requests").notNull().default(0),
    inputTokens: big("input_tokens").notNull().default(0),
    outputTokens: big("output_tokens").notNull().default(0),
    cachedTokens: big("cached_tokens").notNull().default(0),
    cacheWriteTokens: big("cache_write_tokens").notNull().default(0),
    reasoningTokens: big("reasoning_tokens").notNull().default(0),
    cost: big("cost").notNull().default(0),
    fee: big("fee").notNull().default(0),
    total: big("total").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.keyId, t.model, t.provider, t.route] }),
    index("daily_rollups_key_day_idx").on(t.keyId, t.day),
  ],
);
