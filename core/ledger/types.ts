// The usage ledger's public contract: request rows, reservations, keys and usage totals.
// Money is integers of nano-USD throughout (see core/money.ts).

import type { KitLogger } from "../kit/kit.ts";
import type { Principal, Usage } from "../kit/index.ts";

/** One upstream call made while serving a request (the last one served it, or failed it). */
export interface AttemptRecord {
  endpoint: string;
  status: number;
  duration_ms: number;
  error: string | null;
}

/** Credit held on a key while its request is in flight; settled by the request's row. */
export interface Reservation {
  keyId: string;
  amount: number;
}

export interface RequestRecord {
  id: string;
  keyId: string | null;
  route: string | null;
  requestedModel: string;
  model: string | null;
  provider: string | null;
  endpoint: string | null;
  status: number;
  errorCode: string | null;
  attempts: AttemptRecord[];
  stream: boolean;
  usage: Usage | null;
  cost: number;
  fee: number;
  latencyMs: number;
  ttftMs: number | null;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Released in the same transaction that inserts the row and charges the key. */
  reservation?: Reservation | null;
}

/** A stored request, as `GET /v1/generation` reads it. */
export interface GenerationRow extends Omit<RequestRecord, "reservation"> {
  /** cost + fee. */
  total: number;
}

export interface KeyRecord {
  id: string;
  /** The first characters of the secret, safe to show, enough to tell keys apart. */
  prefix: string;
  name: string;
  tags: string[];
  /** nano-USD, or null for no limit. */
  creditLimit: number | null;
  /** Requests per minute, or null for none. */
  rateLimit: number | null;
  spent: number;
  reserved: number;
  disabled: boolean;
  createdAt: number;
}

export interface KeyStore {
  /** Returns the plaintext key once; only its SHA-256 is stored. */
  create(input: { name: string; creditLimit?: number | null; rateLimit?: number | null; tags?: string[] }): Promise<{ key: string; record: KeyRecord }>;
  list(): Promise<KeyRecord[]>;
  disable(idOrPrefix: string): Promise<KeyRecord | null>;
  /**
   * Gives back every hold on the key. For holds no request will settle: a PostgreSQL instance that
   * died with requests in flight leaves its holds, which no other instance can tell from live ones.
   * Holds of requests still in flight are given back too: their charges come when they finish.
   */
  releaseHolds(id: string): Promise<KeyRecord | null>;
  /** The key whose secret this is, disabled or not; found by its hash, as `verify` finds it. */
  bySecret(secret: string): Promise<KeyRecord | null>;
  /**
   * The key's principal, or null when unknown or disabled. Cached for at most one second; a cached
   * answer comes at once, not as a promise (no await on the hot path).
   */
  verify(secret: string): Principal | null | Promise<Principal | null>;
  get(id: string): Promise<KeyRecord | null>;
  /**
   * A row for a key an auth plugin names that the store has none of (its `keyId`), with the
   * plugin's name, tags and credit limit: the ledger tracks a balance by its key's row. It has no
   * secret: no client can present it to `api-keys`. A row made meanwhile by another request stands.
   */
  adopt(principal: { keyId: string; name: string; tags: string[]; creditLimit: number | null }): Promise<void>;
}

export const USAGE_GROUPS = ["model", "provider", "key", "route", "day"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];
export const isUsageGroup = (value: string): value is UsageGroup => (USAGE_GROUPS as readonly string[]).includes(value);

export interface UsageQuery {
  /** Epoch ms, inclusive. Rolled-up history counts by whole UTC days. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  by: UsageGroup;
  keyId?: string;
}

export interface UsageRow {
  /** The model, provider, key id, route or UTC day (YYYY-MM-DD); null when the rows had none. */
  group: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  cost: number;
  fee: number;
  total: number;
}

export interface Ledger {
  /** Applies the shipped migrations not applied yet; safe to call again. */
  migrate(): Promise<void>;
  /** Queues a row; never blocks or throws. Written in batches off the request path. */
  record(row: RequestRecord): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** For /metrics: rows not yet written, and since start the batch writes that failed and the rows the database refused. */
  writes(): { unwritten: number; writeFailures: number; refusedRows: number };
  /** Whether the database answers: its last write went through and no read failed in the last seconds. */
  reachable(): boolean;
  /** Flushes, then closes the database. */
  close(): Promise<void>;
  /** Holds `amount` on the key if its credit allows; null when refused (or unknown, or disabled). */
  reserve(keyId: string, amount: number): Promise<Reservation | null>;
  /** Gives back a reservation no row will settle (a request that ended without one). */
  release(reservation: Reservation): Promise<void>;
  keys: KeyStore;
  generation(id: string): Promise<GenerationRow | null>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  /** Retention: rolls rows older than the cutoff into daily rollups and deletes them; returns rows removed. */
  pruneBefore(cutoffMs: number, batchSize?: number): Promise<number>;
}

export interface LedgerOptions {
  /** How often queued rows are written; default 250 ms. */
  flushIntervalMs?: number;
  /** Rows per transaction; a queue this long is flushed at once. Default 500. */
  maxBatch?: number;
  log?: KitLogger;
  /**
   * Where a closing ledger whose database is gone keeps the rows it could not write, and where an
   * opening one looks for such rows to write first (spill.ts). Without it, they are logged whole.
   */
  spillDir?: string;
  /** How long a closing ledger keeps trying to write its rows before it keeps them in a file; default 10 s. */
  closeRetryMs?: number;
}
