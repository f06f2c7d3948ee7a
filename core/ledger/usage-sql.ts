// The usage queries, written once with Drizzle's dialect-neutral `sql` template: totals from live
// request rows and from daily rollups. Only the expression for "UTC day of created_at" differs.

import { sql, type SQL } from "drizzle-orm";
import { dayOf } from "./rows.ts";
import type { UsageQuery } from "./types.ts";

const ROW_GROUP = { model: "model", provider: "provider", key: "key_id", route: "route" } as const;

function where(conditions: SQL[]): SQL {
  return conditions.length === 0 ? sql`` : sql` WHERE ${sql.join(conditions, sql` AND `)}`;
}

/** Sums over `requests`, grouped; `dayExpr` turns created_at (epoch ms) into YYYY-MM-DD. */
export function rowUsageSql(query: UsageQuery, dayExpr: SQL): SQL {
  const group = query.by === "day" ? dayExpr : sql.raw(ROW_GROUP[query.by]);
  const conditions: SQL[] = [];
  if (query.since !== undefined) conditions.push(sql`created_at >= ${query.since}`);
  if (query.until !== undefined) conditions.push(sql`created_at < ${query.until}`);
  if (query.keyId !== undefined) conditions.push(sql`key_id = ${query.keyId}`);
  return sql`SELECT ${group} AS g, count(*) AS requests,
    coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cached_tokens), 0) AS cached_tokens, coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
    coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,
    coalesce(sum(cost), 0) AS cost, coalesce(sum(fee), 0) AS fee, coalesce(sum(total), 0) AS total
    FROM requests${where(conditions)} GROUP BY 1`;
}

/** Sums over `daily_rollups`; time bounds apply by whole UTC day (rollups keep no finer time). */
export function rollupUsageSql(query: UsageQuery): SQL {
  const group = sql.raw(query.by === "day" ? "day" : ROW_GROUP[query.by]);
  const conditions: SQL[] = [];
  if (query.since !== undefined) conditions.push(sql`day >= ${dayOf(query.since)}`);
  if (query.until !== undefined) conditions.push(sql`day <= ${dayOf(query.until - 1)}`);
  if (query.keyId !== undefined) conditions.push(sql`key_id = ${query.keyId}`);
  return sql`SELECT ${group} AS g, sum(requests) AS requests,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
    sum(cached_tokens) AS cached_tokens, sum(cache_write_tokens) AS cache_write_tokens,
    sum(reasoning_tokens) AS reasoning_tokens, sum(cost) AS cost, sum(fee) AS fee, sum(total) AS total
    FROM daily_rollups${where(conditions)} GROUP BY 1`;
}

const added = (column: string) => sql.raw(`daily_rollups.${column} + excluded.${column}`);

/** The upsert's SET clause: a rollup that already exists for the group grows by the new sums. */
export const ROLLUP_ADD = {
  requests: added("requests"),
  inputTokens: added("input_tokens"),
  outputTokens: added("output_tokens"),
  cachedTokens: added("cached_tokens"),
  cacheWriteTokens: added("cache_write_tokens"),
  reasoningTokens: added("reasoning_tokens"),
  cost: added("cost"),
  fee: added("fee"),
  total: added("total"),
};
