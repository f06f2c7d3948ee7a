// The `requests` columns in the order both batch writers bind them, with the value each takes from
// a record: one list, so the SQLite and PostgreSQL inserts cannot drift apart from each other.

import type { RequestRecord } from "./types.ts";

export type ColumnValue = string | number | boolean | null;

/** Column name and PostgreSQL type; the SQLite table has the same names (types per its migration). */
export const REQUEST_COLUMNS = [
  ["id", "text"], ["key_id", "text"], ["route", "text"], ["requested_model", "text"], ["model", "text"],
  ["provider", "text"], ["endpoint", "text"], ["status", "integer"], ["error_code", "text"],
  ["attempts", "jsonb"], ["stream", "boolean"], ["input_tokens", "integer"], ["output_tokens", "integer"],
  ["cached_tokens", "integer"], ["cache_write_tokens", "integer"], ["reasoning_tokens", "integer"],
  ["tokens_estimated", "boolean"], ["cost", "bigint"], ["fee", "bigint"], ["total", "bigint"],
  ["latency_ms", "integer"], ["ttft_ms", "integer"], ["created_at", "bigint"],
] as const;

export const COLUMN_NAMES = REQUEST_COLUMNS.map(([name]) => name).join(", ");

/**
 * Writes a record's column values into `out` (reused across rows, so a batch allocates no row
 * objects). Same meaning as rows.ts toRequestRow, which reads use; attempts go as JSON text.
 */
export function fillRequestValues(record: RequestRecord, out: ColumnValue[]): void {
  const usage = record.usage;
  out[0] = record.id;
  out[1] = record.keyId;
  out[2] = record.route;
  out[3] = record.requestedModel;
  out[4] = record.model;
  out[5] = record.provider;
  out[6] = record.endpoint;
  out[7] = record.status;
  out[8] = record.errorCode;
  out[9] = JSON.stringify(record.attempts);
  out[10] = record.stream;
  out[11] = usage ? usage.inputTokens : null;
  out[12] = usage ? usage.outputTokens : null;
  out[13] = usage?.cachedInputTokens ?? null;
  out[14] = usage?.cacheWriteTokens ?? null;
  out[15] = usage?.reasoningTokens ?? null;
  out[16] = usage?.estimated === true;
  out[17] = record.cost;
  out[18] = record.fee;
  out[19] = record.cost + record.fee;
  out[20] = record.latencyMs;
  out[21] = record.ttftMs;
  out[22] = record.createdAt;
}
