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

const NUL = "\u0000";
const REPLACEMENT = "\uFFFD";

/**
 * Text as both dialects can store it. PostgreSQL's text and jsonb refuse the NUL character, which
 * a client's model name or a vendor's error message may hold; a row that held one would fail its
 * whole batch. Both dialects store U+FFFD in its place, so they keep the same rows.
 */
function storable(text: string): string;
function storable(text: string | null): string | null;
function storable(text: string | null): string | null {
  return text !== null && text.includes(NUL) ? text.replaceAll(NUL, REPLACEMENT) : text;
}

const withoutNul = (_key: string, value: unknown) => (typeof value === "string" ? storable(value) : value);

/** The attempts as JSON; JSON.stringify writes a NUL as the escape `\u0000`, which jsonb refuses too. */
function attemptsJson(attempts: RequestRecord["attempts"]): string {
  const json = JSON.stringify(attempts);
  return json.includes("\\u0000") ? JSON.stringify(attempts, withoutNul) : json;
}

/**
 * Writes a record's column values into `out` (reused across rows, so a batch allocates no row
 * objects). Same meaning as rows.ts toRequestRow, which reads use; attempts go as JSON text. The
 * ids are the gateway's own; every other text may come from a client, a vendor or the config.
 */
export function fillRequestValues(record: RequestRecord, out: ColumnValue[]): void {
  const usage = record.usage;
  out[0] = record.id;
  out[1] = record.keyId;
  out[2] = storable(record.route);
  out[3] = storable(record.requestedModel);
  out[4] = storable(record.model);
  out[5] = storable(record.provider);
  out[6] = storable(record.endpoint);
  out[7] = record.status;
  out[8] = storable(record.errorCode);
  out[9] = attemptsJson(record.attempts);
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
