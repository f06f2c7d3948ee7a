// Translation between the ledger's records and table rows, shared by both dialects (their Drizzle
// tables use the same property names), plus the aggregation that rows and rollups have in common.

import type { Usage } from "../kit/index.ts";
import type { GenerationRow, RequestRecord, UsageRow } from "./types.ts";

/** A `requests` row as both dialects' Drizzle tables type it. */
export interface RequestRow extends Omit<RequestRecord, "usage" | "reservation"> {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  tokensEstimated: boolean;
  total: number;
}

/** A `daily_rollups` row; absent dimensions are stored as "" so they can be part of the key. */
export interface RollupRow {
  day: string;
  keyId: string;
  model: string;
  provider: string;
  route: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  cost: number;
  fee: number;
  total: number;
}

export function toRequestRow(record: RequestRecord): RequestRow {
  const usage = record.usage;
  return {
    id: record.id,
    keyId: record.keyId,
    route: record.route,
    requestedModel: record.requestedModel,
    model: record.model,
    provider: record.provider,
    endpoint: record.endpoint,
    status: record.status,
    errorCode: record.errorCode,
    attempts: record.attempts,
    stream: record.stream,
    inputTokens: usage ? usage.inputTokens : null,
    outputTokens: usage ? usage.outputTokens : null,
    cachedTokens: usage?.cachedInputTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    reasoningTokens: usage?.reasoningTokens ?? null,
    tokensEstimated: usage?.estimated === true,
    cost: record.cost,
    fee: record.fee,
    total: record.cost + record.fee,
    latencyMs: record.latencyMs,
    ttftMs: record.ttftMs,
    createdAt: record.createdAt,
  };
}

function usageOf(row: RequestRow): Usage | null {
  if (row.inputTokens === null) return null;
  const usage: Usage = { inputTokens: row.inputTokens, outputTokens: row.outputTokens ?? 0 };
  if (row.cachedTokens !== null) usage.cachedInputTokens = row.cachedTokens;
  if (row.cacheWriteTokens !== null) usage.cacheWriteTokens = row.cacheWriteTokens;
  if (row.reasoningTokens !== null) usage.reasoningTokens = row.reasoningTokens;
  if (row.tokensEstimated) usage.estimated = true;
  return usage;
}

export function toGeneration(row: RequestRow): GenerationRow {
  return {
    id: row.id,
    keyId: row.keyId,
    route: row.route,
    requestedModel: row.requestedModel,
    model: row.model,
    provider: row.provider,
    endpoint: row.endpoint,
    status: row.status,
    errorCode: row.errorCode,
    attempts: row.attempts,
    stream: row.stream,
    usage: usageOf(row),
    cost: Number(row.cost),
    fee: Number(row.fee),
    total: Number(row.total),
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    createdAt: Number(row.createdAt),
  };
}

/** What one batch does to each key: charge cost + fee, and give back the reservations it settles. */
export function settlements(records: readonly RequestRecord[]): Map<string, { spent: number; release: number }> {
  const byKey = new Map<string, { spent: number; release: number }>();
  const entry = (keyId: string) => {
    let found = byKey.get(keyId);
    if (!found) byKey.set(keyId, (found = { spent: 0, release: 0 }));
    return found;
  };
  for (const record of records) {
    if (record.keyId !== null) entry(record.keyId).spent += record.cost + record.fee;
    if (record.reservation) entry(record.reservation.keyId).release += record.reservation.amount;
  }
  return byKey;
}

/** The UTC day of an epoch-ms instant, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Sums request rows into daily rollup rows, one per (day, key, model, provider, route). */
export function rollUp(rows: readonly RequestRow[]): RollupRow[] {
  const groups = new Map<string, RollupRow>();
  for (const row of rows) {
    const day = dayOf(Number(row.createdAt));
    const dims = [day, row.keyId ?? "", row.model ?? "", row.provider ?? "", row.route ?? ""] as const;
    const id = JSON.stringify(dims);
    let group = groups.get(id);
    if (!group) {
      group = { day, keyId: dims[1], model: dims[2], provider: dims[3], route: dims[4], requests: 0, inputTokens: 0,
        outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost: 0, fee: 0, total: 0 };
      groups.set(id, group);
    }
    group.requests += 1;
    group.inputTokens += row.inputTokens ?? 0;
    group.outputTokens += row.outputTokens ?? 0;
    group.cachedTokens += row.cachedTokens ?? 0;
    group.cacheWriteTokens += row.cacheWriteTokens ?? 0;
    group.reasoningTokens += row.reasoningTokens ?? 0;
    group.cost += Number(row.cost);
    group.fee += Number(row.fee);
    group.total += Number(row.total);
  }
  return [...groups.values()];
}

/** One group's sums as a driver's SQL returns them (PostgreSQL sends bigint sums as strings). */
export type RawUsage = {
  g: string | null;
  requests: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  cached_tokens: number | string;
  cache_write_tokens: number | string;
  reasoning_tokens: number | string;
  cost: number | string;
  fee: number | string;
  total: number | string;
};

/** Merges the sums from live rows and from rollups into one row per group, largest total first. */
export function mergeUsage(parts: readonly RawUsage[]): UsageRow[] {
  const groups = new Map<string | null, UsageRow>();
  for (const part of parts) {
    const group = part.g === "" || part.g === null ? null : String(part.g);
    let row = groups.get(group);
    if (!row) {
      row = { group, requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0,
        reasoningTokens: 0, cost: 0, fee: 0, total: 0 };
      groups.set(group, row);
    }
    row.requests += Number(part.requests);
    row.inputTokens += Number(part.input_tokens);
    row.outputTokens += Number(part.output_tokens);
    row.cachedInputTokens += Number(part.cached_tokens);
    row.cacheWriteTokens += Number(part.cache_write_tokens);
    row.reasoningTokens += Number(part.reasoning_tokens);
    row.cost += Number(part.cost);
    row.fee += Number(part.fee);
    row.total += Number(part.total);
  }
  return [...groups.values()].sort((a, b) => b.total - a.total || String(a.group).localeCompare(String(b.group)));
}

/** Splits a batch so one INSERT stays well under both dialects' bound-parameter limits. */
export function chunked<T>(items: readonly T[], size = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
