// The ledger built on a dialect driver: queued writes, reservations, keys, lookups and retention.

import { errors } from "../errors.ts";
import type { KitLogger } from "../kit/kit.ts";
import type { LedgerDriver } from "./driver.ts";
import { createKeyStore } from "./key-store.ts";
import { spillRows } from "./spill.ts";
import { guardReads } from "./unreachable.ts";
import { mergeUsage, toGeneration, toRequestRow } from "./rows.ts";
import type { Ledger, LedgerOptions, RequestRecord } from "./types.ts";
import { WriteQueue } from "./write-queue.ts";

export const silent: KitLogger = { info() {}, warn() {}, error() {} };

export interface LedgerSettings extends LedgerOptions {
  /** Clock for key creation times and the verify cache; tests inject one. */
  now?: () => number;
  /**
   * The process opening the ledger is the one that serves it: holds left by a server that died
   * are dropped (where the dialect can tell them from live ones). A CLI command opening the same
   * SQLite file beside a running gateway must leave its holds alone.
   */
  serving?: boolean;
}

/**
 * What a finished row's hold holds beyond its charge; the row's reservation is cut to the charge.
 * A row charged more than it held (a vendor past its cap) keeps its hold as it is.
 */
function unusedHold(row: RequestRecord): number {
  const reservation = row.reservation;
  if (!reservation) return 0;
  const charged = row.keyId === reservation.keyId ? row.cost + row.fee : 0;
  if (charged >= reservation.amount) return 0;
  const unused = reservation.amount - charged;
  row.reservation = { keyId: reservation.keyId, amount: charged };
  return unused;
}

/** How long after a failed read the database is said unreachable, with no read since to say otherwise. */
const UNREACHABLE_FOR_MS = 10_000;
/** The wait before try `attempt` of a write or give-back the database refused for being down: doubling from 100 ms, 2 s at most. */
const backoffMs = (attempt: number) => Math.min(2_000, 100 * 2 ** attempt);

export function createLedger(raw: LedgerDriver, options: LedgerSettings = {}): Ledger {
  const log = options.log ?? silent;
  const clock = options.now ?? Date.now;
  const driver = guardReads(raw, log, clock);
  const write = (rows: readonly RequestRecord[]) => driver.writeBatch(rows);
  const refuses = (error: unknown) => driver.refuses(error);
  const queue = new WriteQueue(write, options.flushIntervalMs ?? 250, options.maxBatch ?? 500, log, refuses);
  let closed = false;

  /**
   * Gives back at once the part of a finished request's hold it was not charged, so the key's next
   * request need not wait for the row's batch; the row keeps holding its charge until the batch
   * adds it to `spent`. Where the database fails, the row gives the rest back with its write.
   * A key's next hold waits for what its finished requests are giving back (`givingBack`).
   */
  const givingBack = new Map<string, Promise<void>>();
  const retrying = new Set<Promise<void>>();
  const giveBack = (row: RequestRecord, unused: number) => {
    const reservation = row.reservation!;
    const release = async () => {
      try {
        await driver.release(reservation.keyId, unused);
      } catch {
        if (queue.waiting(row)) reservation.amount += unused;
        else {
          const retry = retryRelease(row.id, reservation.keyId, unused);
          retrying.add(retry);
          void retry.then(() => retrying.delete(retry));
        }
      }
    };
    const before = givingBack.get(reservation.keyId);
    const done = before ? before.then(release) : release();
    givingBack.set(reservation.keyId, done);
    void done.then(() => {
      if (givingBack.get(reservation.keyId) === done) givingBack.delete(reservation.keyId);
    });
  };

  /** Rows a closing ledger could not write: in a file if it can, else in the log, whole. */
  const keep = (rows: RequestRecord[]) => {
    if (options.spillDir) {
      try {
        const file = spillRows(options.spillDir, rows);
        log.error("ledger rows could not be written before shutdown; kept in a file the next start writes", { rows: rows.length, file });
        return;
      } catch (error) {
        log.error("ledger rows could not be kept in a file", { error: (error as Error).message });
      }
    }
    log.error("ledger rows could not be written before shutdown; here they are whole", { rows });
  };

  /**
   * A give-back the database refused once the row was on its way (so the row cannot carry it), tried
   * again until the database answers or the ledger closes: else it would stay held for good. The
   * key's next hold does not wait for it: while the database is down, that hold fails at once anyway.
   */
  const retryRelease = async (id: string, keyId: string, amount: number) => {
    for (let attempt = 0; ; attempt++) {
      await Bun.sleep(backoffMs(attempt));
      try {
        await driver.release(keyId, amount);
        return;
      } catch (error) {
        if (!closed) continue;
        log.error("a finished request's unused credit hold could not be given back: release it with keys release once no request holds credit", { id, key: keyId, amount, error: (error as Error).message });
        return;
      }
    }
  };

  return {
    migrate: () => driver.migrate(),
    record(row: RequestRecord) {
      if (closed) {
        log.error("ledger is closed; request row not recorded", { id: row.id });
        return;
      }
      const unused = unusedHold(row);
      queue.push(row);
      if (unused > 0) giveBack(row, unused);
    },
    flush: () => queue.flush(),
    writes: () => ({ unwritten: queue.unwritten, ...queue.counts }),
    reachable: () => !queue.failing && clock() - driver.lastFailure() >= UNREACHABLE_FOR_MS,
    async close() {
      if (closed) return;
      closed = true;
      queue.stop();
      // The database may be down as the gateway stops: its rows are tried again for a while, then
      // kept in a file the next start writes, never dropped with the process.
      // Real time, not the injected clock (a test's may stand still).
      const deadline = performance.now() + (options.closeRetryMs ?? 10_000);
      for (let attempt = 0; ; attempt++) {
        try {
          await queue.flush();
          break;
        } catch {
          const wait = backoffMs(attempt);
          if (performance.now() + wait > deadline) break;
          await Bun.sleep(wait);
        }
      }
      const left = queue.takeUnwritten();
      if (left.length > 0) keep(left);
      await Promise.allSettled([...givingBack.values(), ...retrying]);
      await driver.close().catch((error: unknown) => log.error("ledger database did not close cleanly", { error: (error as Error).message }));
    },
    async reserve(keyId, amount) {
      if (!Number.isSafeInteger(amount) || amount < 0) throw errors.internal(`invalid reservation amount ${amount}`);
      const pending = givingBack.get(keyId);
      if (pending) await pending;
      return (await driver.reserve(keyId, amount)) ? { keyId, amount } : null;
    },
    release: (reservation) => driver.release(reservation.keyId, reservation.amount),
    keys: createKeyStore(driver, clock),
    async generation(id) {
      // No id the gateway makes holds a NUL, and PostgreSQL refuses one in a query.
      if (id.includes("\u0000")) return null;
      const queued = queue.find(id);
      if (queued) return toGeneration(toRequestRow(queued));
      const row = await driver.request(id);
      return row ? toGeneration(row) : null;
    },
    async usage(query) {
      return mergeUsage(await driver.usage(query));
    },
    async pruneBefore(cutoffMs, batchSize = 500) {
      let removed = 0;
      for (;;) {
        const count = await driver.pruneBatch(cutoffMs, batchSize);
        removed += count;
        if (count < batchSize) return removed;
      }
    },
  };
}
