// Batches ledger rows off the request path: record() only appends; a timer (or a full batch) writes
// them one transaction per batch. A failed write keeps the rows at the head of the queue, logs, and
// retries with backoff, so rows are never dropped silently.

import type { KitLogger } from "../kit/kit.ts";
import type { RequestRecord } from "./types.ts";

const MAX_BACKOFF_MS = 30_000;

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

  constructor(
    private readonly write: (rows: readonly RequestRecord[]) => Promise<void>,
    private readonly intervalMs: number,
    private readonly maxBatch: number,
    private readonly log: KitLogger,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** On the request path: an append, plus at most one timer or flush request per batch. */
  push(row: RequestRecord): void {
    if (this.pending.push(row) < this.maxBatch || this.draining) this.schedule(this.intervalMs);
    else if (!this.flushQueued) {
      this.flushQueued = true;
      void this.flush().catch(() => {});
    }
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
        } catch (error) {
          this.pending.unshift(...batch);
          this.failures += 1;
          const retryInMs = Math.min(MAX_BACKOFF_MS, this.intervalMs * 2 ** this.failures);
          this.log.error("ledger write failed; rows kept for retry", {
            rows: this.pending.length,
            attempt: this.failures,
            retryInMs,
            error: error instanceof Error ? error.message : String(error),
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
}
