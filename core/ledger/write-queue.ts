// Batches ledger rows off the request path: record() only appends; a timer (or a full batch) writes
// them one transaction per batch. A failed write keeps the rows at the head of the queue, logs, and
// retries with backoff, so rows are never dropped silently. A batch the database refuses for one
// row's data (a vendor's token count past PostgreSQL's integer, say) would fail every retry and hold
// back every row after it: its rows are written one at a time instead, and a refused row is stored
// without what the gateway did not make itself (see salvaged), so its key is still charged.

import { describe } from "../errors.ts";
import type { KitLogger } from "../kit/kit.ts";
import type { RequestRecord } from "./types.ts";

const MAX_BACKOFF_MS = 30_000;

/** The placeholder for a refused row's requested model, the one text column a client fills. */
export const REFUSED_MODEL = "(refused by the database)";

/**
 * A refused row without the values that come from outside the gateway (the client's model name, the
 * vendor's usage and its attempts' messages): its id, key, route, status, cost and fee are the
 * gateway's own, so the key is charged and its reservation released as for any row.
 */
export function salvaged(row: RequestRecord): RequestRecord {
  return { ...row, requestedModel: REFUSED_MODEL, usage: null, attempts: [] };
}

export class WriteQueue {
  private pending: RequestRecord[] = [];
  /** The batch being written: out of `pending`, not yet readable from storage. */
  private writing: readonly RequestRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private draining = false;
  /** A full batch has asked for a flush that has not started yet: later pushes need not ask again. */
  private flushQueued = false;
  private failures = 0;

  /** Whether the last write failed and its rows wait for a retry. */
  get failing(): boolean {
    return this.failures > 0;
  }
  /** Since start, for /metrics: batch writes that failed, and rows the database refused. */
  readonly counts = { writeFailures: 0, refusedRows: 0 };

  constructor(
    private readonly write: (rows: readonly RequestRecord[]) => Promise<void>,
    private readonly intervalMs: number,
    private readonly maxBatch: number,
    private readonly log: KitLogger,
    /** Whether a failed write was the database refusing the rows' data, which no retry can change. */
    private readonly refuses: (error: unknown) => boolean = () => false,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** Rows recorded and not yet in the database: queued, or in the batch being written. */
  get unwritten(): number {
    return this.pending.length + this.writing.length;
  }

  /** On the request path: an append, plus at most one timer or flush request per batch. */
  push(row: RequestRecord): void {
    if (this.pending.push(row) < this.maxBatch || this.draining) this.schedule(this.intervalMs);
    else if (!this.flushQueued) {
      this.flushQueued = true;
      void this.flush().catch(() => {});
    }
  }

  /** Whether a row waits for its write, none of it begun: it may still be changed. */
  waiting(row: RequestRecord): boolean {
    return this.pending.includes(row);
  }

  /** A queued row by id, so a generation lookup right after a response finds it before the flush. */
  find(id: string): RequestRecord | undefined {
    return this.pending.find((row) => row.id === id) ?? this.writing.find((row) => row.id === id);
  }

  /** Writes everything queued; flushes run one after another, never interleaved. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => {});
    return run;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Every row not written, taken out of the queue: for a closing ledger whose database is gone. */
  takeUnwritten(): RequestRecord[] {
    this.stop();
    const rows = [...this.writing, ...this.pending];
    this.pending = [];
    return rows;
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().catch(() => {});
    }, delayMs);
    // Shutdown flushes explicitly (close()); a pending timer alone must not keep a CLI command alive.
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    this.flushQueued = false;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        this.writing = batch;
        try {
          await this.write(batch);
          this.failures = 0;
        } catch (failure) {
          let error = failure;
          let kept: readonly RequestRecord[] = batch;
          if (this.refuses(failure)) ({ kept, error } = await this.oneByOne(batch, failure));
          if (kept.length === 0) {
            this.failures = 0;
            continue;
          }
          this.pending.unshift(...kept);
          this.failures += 1;
          this.counts.writeFailures += 1;
          const retryInMs = Math.min(MAX_BACKOFF_MS, this.intervalMs * 2 ** this.failures);
          this.log.error("ledger write failed; rows kept for retry", {
            rows: this.pending.length,
            attempt: this.failures,
            retryInMs,
            error: describe(error),
          });
          this.schedule(retryInMs);
          throw error;
        }
      }
    } finally {
      this.writing = [];
      this.draining = false;
    }
  }

  /**
   * A refused batch, a row at a time: rows the database takes are written, a row it refuses is
   * written salvaged (its whole record logged), and at a failure of any other kind (the database
   * gone) that row and the rest are kept, with that failure, for the retry.
   */
  private async oneByOne(batch: readonly RequestRecord[], failure: unknown): Promise<{ kept: readonly RequestRecord[]; error: unknown }> {
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      try {
        await this.write([row]);
        continue;
      } catch (error) {
        if (!this.refuses(error)) return { kept: batch.slice(i), error };
        this.counts.refusedRows += 1;
        const refusal = describe(error);
        try {
          await this.write([salvaged(row)]);
          this.log.error("ledger row refused by the database; stored without its model name, usage and attempts", { id: row.id, error: refusal, record: row });
        } catch (again) {
          if (!this.refuses(again)) return { kept: batch.slice(i), error: again };
          this.log.error("ledger row refused by the database even salvaged; not stored", { id: row.id, error: refusal, record: row });
        }
      }
    }
    return { kept: [], error: failure };
  }
}
