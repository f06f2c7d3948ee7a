// What each storage dialect implements; the ledger (ledger.ts) builds batching, caching and the
// public API on top, so the SQLite and PostgreSQL drivers stay thin wiring.

import type { RawUsage, RequestRow } from "./rows.ts";
import type { KeyRecord, RequestRecord, UsageQuery } from "./types.ts";

/** A `keys` row: the record plus the SHA-256 of the secret, which never leaves the ledger. */
export interface KeyRow extends KeyRecord {
  secretHash: string;
}

export interface LedgerDriver {
  migrate(): Promise<void>;
  /** One transaction: insert the rows, charge their keys, release the reservations they settle. */
  writeBatch(records: readonly RequestRecord[]): Promise<void>;
  /**
   * Whether a failed write was the database refusing the rows' data (a value out of a column's
   * range, say), which writing the same rows again cannot change; not a database that is down,
   * locked or full.
   */
  refuses(error: unknown): boolean;
  /** Atomic conditional increment of `reserved`; false when the key is missing, disabled or out of credit. */
  reserve(keyId: string, amount: number): Promise<boolean>;
  release(keyId: string, amount: number): Promise<void>;
  /**
   * A gateway starts serving: every key's `reserved` goes back to 0 (holds left by gateways that
   * died) unless another gateway serving the same database is alive to settle its own. Only a
   * dialect whose servers share one machine can tell (SQLite: by their process ids), so only it
   * implements this; `close` says the gateway has stopped.
   */
  startServing?(): Promise<void>;
  insertKey(row: KeyRow): Promise<void>;
  listKeys(): Promise<KeyRow[]>;
  keyById(id: string): Promise<KeyRow | null>;
  keyByHash(secretHash: string): Promise<KeyRow | null>;
  disableKey(idOrPrefix: string): Promise<KeyRow | null>;
  /** Sets the key's `reserved` to 0: holds an operator says no request will settle. */
  releaseHolds(id: string): Promise<KeyRow | null>;
  request(id: string): Promise<RequestRow | null>;
  /** Group sums from live rows and from rollups, unmerged. */
  usage(query: UsageQuery): Promise<RawUsage[]>;
  /** Rolls up and deletes at most `batchSize` rows older than the cutoff, in one transaction. */
  pruneBatch(cutoffMs: number, batchSize: number): Promise<number>;
  close(): Promise<void>;
}
