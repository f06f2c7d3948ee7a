// The ledger's tables in SQLite. Same names and meaning as schema-postgres.ts; the SQL that creates
// them ships in migrations/sqlite/.

import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AttemptRecord } from "./types.ts";

export const keys = sqliteTable(
  "keys",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull().unique(),
    prefix: text("prefix").notNull().unique(),
    name: text("name").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    creditLimit: integer("credit_limit"),
    rateLimit: integer("rate_limit"),
    spent: integer("spent").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
);

export const requests = sqliteTable(
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
    attempts: text("attempts", { mode: "json" }).$type<AttemptRecord[]>().notNull(),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedTokens: integer("cached_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    tokensEstimated: integer("tokens_estimated", { mode: "boolean" }).notNull().default(false),
    cost: integer("cost").notNull(),
    fee: integer("fee").notNull(),
    total: integer("total").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    ttftMs: integer("ttft_ms"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("requests_created_at_idx").on(t.createdAt),
    index("requests_key_created_idx").on(t.keyId, t.createdAt),
  ],
);

export const dailyRollups = sqliteTable(
  "daily_rollups",
  {
    day: text("day").notNull(),
    keyId: text("key_id").notNull().default(""),
    model: text("model").notNull().default(""),
    provider: text("provider").notNull().default(""),
    route: text("route").notNull().default(""),
    requests: integer("requests").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    cost: integer("cost").notNull().default(0),
    fee: integer("fee").notNull().default(0),
    total: integer("total").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.keyId, t.model, t.provider, t.route] }),
    index("daily_rollups_key_day_idx").on(t.keyId, t.day),
  ],
);
