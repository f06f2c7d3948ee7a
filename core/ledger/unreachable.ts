// A database the ledger cannot reach, said as such: a 503 with a plain message for the request that
// needed it (a key check, a credit hold, a lookup), where the driver's own error (its SQL, a key's
// hash among its parameters) went to the client as a 500; and one log line every few seconds with
// the reason, where nothing was logged.

import { describe, errors, isSwitchyardError } from "../errors.ts";
import type { KitLogger } from "../kit/kit.ts";
import type { LedgerDriver } from "./driver.ts";

/** At most one log line per this many ms while the database stays out of reach. */
const LOG_EVERY_MS = 5000;

/** The driver calls a request may wait on, guarded; writes and migrations have their own handling. */
const GUARDED = ["reserve", "release", "listKeys", "keyById", "keyByHash", "disableKey", "releaseHolds", "insertKey", "request", "usage"] as const;

export interface Reachability {
  /** When a guarded call last failed for the database (ms since the epoch), -Infinity if never. */
  lastFailure(): number;
}

export function guardReads(driver: LedgerDriver, log: KitLogger, now: () => number = Date.now): LedgerDriver & Reachability {
  let failedAt = -Infinity;
  let loggedAt = -Infinity;
  let unlogged = 0;
  const unreachable = (error: unknown): never => {
    if (isSwitchyardError(error)) throw error;
    failedAt = now();
    if (failedAt - loggedAt >= LOG_EVERY_MS) {
      log.error("the ledger's database could not be reached", { reason: reasonOf(error), ...(unlogged ? { failuresSinceLastLine: unlogged } : {}) });
      loggedAt = failedAt;
      unlogged = 0;
    } else unlogged++;
    throw errors.storageUnavailable("the gateway's database cannot be reached right now; try again shortly", error);
  };
  const guarded: LedgerDriver & Reachability = { ...driver, lastFailure: () => failedAt };
  for (const name of GUARDED) {
    const call = driver[name] as (...args: unknown[]) => Promise<unknown>;
    (guarded as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => call.apply(driver, args).catch(unreachable);
  }
  return guarded;
}

/** The driver's reason, without the query and its parameters (a key's hash among them). */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const text = cause instanceof Error ? cause.message : describe(error);
  return text.split("\nparams:")[0]!;
}
